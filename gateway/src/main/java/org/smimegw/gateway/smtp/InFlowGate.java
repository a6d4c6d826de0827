package org.smimegw.gateway.smtp;

import java.time.Duration;
import java.util.function.IntSupplier;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/**
 * Input rate control, as Postfix's {@code in_flow_delay}: before a new mail transaction, a session waits while the
 * pipeline's backlog is above a limit, for at most {@code maxDelay}, then goes on regardless. When clients send
 * faster than the pipeline and delivery can process, acceptance is slowed to their pace instead of filling the
 * spool and spending CPU on accepting mail that then waits; a client is never refused and never waits longer
 * than {@code maxDelay} per mail.
 */
public final class InFlowGate {
    /** How often a waiting session looks at the backlog again: coarse, so that 100 waiting sessions cost little. */
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private final IntSupplier backlog;
    private final int limit;
    private final long maxDelayNanos;
    private final Counter delayed;
    private final Counter timedOut;

    /**
     * @param backlog  mails accepted and not yet through the pipeline
     * @param limit    backlog at which new transactions wait
     * @param maxDelay longest wait per transaction (zero: no waiting at all)
     * @param metrics  counters smtp.inflow.delayed (transactions that waited) and smtp.inflow.timeout (waited the
     *                 whole maxDelay)
     */
    public InFlowGate(IntSupplier backlog, int limit, Duration maxDelay, MetricRegistry metrics) {
        this.backlog = backlog;
        this.limit = limit;
        this.maxDelayNanos = maxDelay.toNanos();
        this.delayed = metrics.counter("smtp.inflow.delayed");
        this.timedOut = metrics.counter("smtp.inflow.timeout");
    }

    /** A gate that never waits. */
    public static InFlowGate open(MetricRegistry metrics) {
        return new InFlowGate(() -> 0, Integer.MAX_VALUE, Duration.ZERO, metrics);
    }

    /** Waits while the backlog is at or over the limit, at most the configured delay. */
    public void awaitTurn() throws InterruptedException {
        awaitTurn(() -> { });
    }

    /** As {@link #awaitTurn()}; {@code beforeWaiting} runs once when the caller is about to wait. */
    public void awaitTurn(Runnable beforeWaiting) throws InterruptedException {
        if (maxDelayNanos <= 0 || backlog.getAsInt() < limit) {
            return;
        }
        beforeWaiting.run();
        delayed.inc();
        long deadline = System.nanoTime() + maxDelayNanos;
        while (backlog.getAsInt() >= limit) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                timedOut.inc();
                return;
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, POLL_NANOS)));
        }
    }
}
