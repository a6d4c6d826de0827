package org.smimegw.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.bench.smtp.SmtpSink;
import org.smimegw.bench.sut.MachineCpu;
import org.smimegw.bench.sut.ProcessTreeCpu;
import org.smimegw.bench.sut.SystemUnderTest;

/**
 * Runs one measurement: a warm-up phase (discarded, drained), then the measured phase, then waits until every
 * accepted message has arrived at the sink (or the drain timeout), and computes throughput, latencies and CPU.
 */
public final class LoadDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LoadDriver.class);
    /** At most this many messages in a warm-up phase. */
    static final long WARMUP_MESSAGES = 4000;

    private final SmtpSink sink;
    private final Duration drainTimeout;

    public LoadDriver(SmtpSink sink, Duration drainTimeout) {
        this.sink = sink;
        this.drainTimeout = drainTimeout;
    }

    /**
     * @param name     the scenario's name in the report
     * @param template the message
     * @param sut      where to send
     * @param sessions concurrent sessions
     * @param warmup   warm-up time (0: none), at most {@value #WARMUP_MESSAGES} messages
     * @param measure  measured sending time
     * @param rate     total pacing in messages/s, 0 for unpaced
     * @param maxMessages message limit of the measured phase, 0 for none (e.g. a single 25 MB message)
     */
    /**
     * Sends {@code template} unpaced for {@code duration} (no message limit) and waits until what was accepted
     * arrived: the warm-up of a relay process that just started, before its first measurement, so that its JIT
     * compiler has compiled the paths the rows measure (in a JFR profile of an 8 s warm-up the compiler was still
     * busy for 15 to 40 % of the CPU in the measured seconds; a relay runs for days).
     */
    public void warmUpProcess(MessageTemplate template, SystemUnderTest sut, int sessions, Duration duration)
            throws InterruptedException {
        if (!duration.isZero()) {
            warmUp(new LoadGenerator(template), sut, sessions, duration, 0, 0,
                    "process_warmup_" + Long.toHexString(System.nanoTime()));
        }
    }

    private void warmUp(LoadGenerator generator, SystemUnderTest sut, int sessions, Duration duration, long messages,
                        double rate, String prefix) throws InterruptedException {
        LoadRun w = generator.run(new LoadSpec(sut.host(), sut.port(), sessions, duration, messages, rate, false,
                prefix));
        awaitArrivals(w.acceptTimes());
    }

    public ThroughputResult measure(String name, MessageTemplate template, SystemUnderTest sut, int sessions,
                                    Duration warmup, Duration measure, double rate, long maxMessages)
            throws InterruptedException {
        LoadGenerator generator = new LoadGenerator(template);
        String prefix = name.replaceAll("[^A-Za-z0-9]+", "_") + "_" + Long.toHexString(System.nanoTime());
        if (!warmup.isZero()) {
            // time- and count-limited, so that a slow relay's warm-up backlog drains quickly
            long warmMessages = maxMessages > 0 ? Math.min(maxMessages, WARMUP_MESSAGES) : WARMUP_MESSAGES;
            warmUp(generator, sut, sessions, warmup, warmMessages, rate, prefix + "_w");
        }
        sink.reset();
        MachineCpu.Sample machine0 = MachineCpu.sample();
        double sut0 = sut.pid() > 0 ? ProcessTreeCpu.cpuSeconds(sut.pid()) : 0;
        double self0 = ProcessTreeCpu.selfCpuSeconds();
        LoadSpec spec = new LoadSpec(sut.host(), sut.port(), sessions, measure, maxMessages, rate, false, prefix);
        LoadRun run = generator.run(spec);
        long drained = awaitArrivals(run.acceptTimes());
        double sut1 = sut.pid() > 0 ? ProcessTreeCpu.cpuSeconds(sut.pid()) : 0;
        double self1 = ProcessTreeCpu.selfCpuSeconds();
        MachineCpu.Sample machine1 = MachineCpu.sample();

        long lastArrival = run.startNanos();
        long delivered = 0;
        List<Long> e2e = new ArrayList<>();
        for (Map.Entry<String, Long> e : run.acceptTimes().entrySet()) {
            Long arrival = sink.arrival(e.getKey());
            if (arrival != null) {
                delivered++;
                lastArrival = Math.max(lastArrival, arrival);
                e2e.add(Math.max(0, arrival - e.getValue()));
            }
        }
        long[] e2eArray = e2e.stream().mapToLong(Long::longValue).toArray();
        double completion = Math.max(run.endNanos(), lastArrival) - run.startNanos();
        double window = (drained - run.startNanos()) / 1e9;
        double deliveredPerSecond = delivered / Math.max(1e-9, completion / 1e9);
        double sutCpu = sut1 - sut0;
        List<String> errors = new ArrayList<>(run.errors());
        if (delivered < run.accepted()) {
            errors.add((run.accepted() - delivered) + " accepted message(s) had not arrived at the sink after "
                    + drainTimeout.toSeconds() + " s");
        }
        ThroughputResult r = new ThroughputResult(name, sut.name(), template.size(), template.recipients().size(),
                sessions, rate, run.seconds(), run.accepted(), delivered, run.failed(), run.acceptedPerSecond(),
                deliveredPerSecond, deliveredPerSecond * template.size() / 1e6,
                LatencyStats.of(run.acceptLatencies()).summary(), LatencyStats.of(e2eArray).summary(),
                sut.pid() > 0 ? 100 * sutCpu / window : 0,
                sut.pid() > 0 && delivered > 0 ? 1000 * sutCpu / delivered : 0,
                100 * (self1 - self0) / window, machine1.busyPercentSince(machine0),
                sut.heap().map(GcLogHeapMb::of).orElse(-1.0), sink.headerCounts(), errors);
        LOG.info("{}: {} msg/s delivered ({} accepted/s), accept p99 {} ms, e2e p99 {} ms, SUT cpu {}%, machine {}%",
                name, fmt(r.deliveredPerSecond()), fmt(r.acceptedPerSecond()), fmt(r.accept().p99()),
                fmt(r.endToEnd().p99()), fmt(r.sutCpuPercent()), fmt(r.machineBusyPercent()));
        return r;
    }

    /** Waits until all accepted ids arrived or the drain timeout; returns the nanoTime it stopped waiting. */
    private long awaitArrivals(Map<String, Long> accepted) throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (sink.arrivedIds() >= accepted.size() && accepted.keySet().stream().allMatch(id -> sink.arrival(id) != null)) {
                break;
            }
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /** Converts a heap peak to MB for the report. */
    private static final class GcLogHeapMb {
        static double of(org.smimegw.bench.sut.GcLogHeap.Peak p) {
            return p.collections() == 0 ? -1 : p.usedMb();
        }
    }
}
