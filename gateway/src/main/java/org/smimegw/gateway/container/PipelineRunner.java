package org.smimegw.gateway.container;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.smimegw.gateway.logging.LogFields;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.LocalErrors;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * Runs INCOMING spool entries through the current {@link MailetContainer} on a fixed number of worker threads.
 * The SMTP front end (and the mailet context's re-injection) notify it through {@link #accept}; {@link #start()}
 * rescans INCOMING so work interrupted by a stop resumes, and a periodic rescan picks up retries and anything a
 * full queue turned away. An entry is deleted only after the container finished with it (at least once, never
 * zero times). A failed run (any {@link Throwable}: an exception, a {@link StackOverflowError} in a mailet...) is
 * counted in the envelope ({@link PipelineAttributes#FAILURES}) and retried after the configured delay; after
 * {@code maxFailures} the entry moves to the ERROR area; the worker goes on with the next mail. A run that failed on
 * a temporary local error ({@link LocalErrors}: disk full, I/O error) is not the mail's failure: it is not counted,
 * the entry stays in INCOMING and is retried after the delay.
 */
public final class PipelineRunner implements Consumer<SpoolEntry>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
    /**
     * Queued mails per worker (queue ids only, ~200 bytes each). A burst beyond it waits in INCOMING for the periodic
     * rescan (up to 10 s): with 64 per worker a burst of more than 256 mails made delivery run in 10-second steps.
     */
    static final int QUEUE_PER_WORKER = 4096;
    private static final int MAX_ERROR_LENGTH = 300;

    private final PipelineConfig config;
    private final Spool spool;
    private final ContainerSource container;
    private final Clock clock;
    private final Path scratchDirectory;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** Entries held back after a temporary local error, until (epoch ms): kept in memory, the disk may be full. */
    private final Map<String, Long> heldBack = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService rescanner;
    private final Counter processed;
    private final Counter failed;
    private final Counter movedToError;
    private final Counter deferred;

    /**
     * @param config           workers, maxFailures, retryDelaySeconds
     * @param spool            the spool holding INCOMING entries
     * @param container        the current container (re-read for every mail, so a reload swaps it atomically)
     * @param metrics          counters pipeline.processed, pipeline.failed, pipeline.error, pipeline.deferred (runs
     *                         stopped by a temporary local error, not counted as failures) and gauge pipeline.queued
     * @param clock            time for retry delays
     * @param scratchDirectory where copies of split mails are written during a run (deleted after the run)
     */
    public PipelineRunner(PipelineConfig config, Spool spool, Supplier<MailetContainer> container,
                          MetricRegistry metrics, Clock clock, Path scratchDirectory) {
        this(config, spool, ContainerSource.of(container), metrics, clock, scratchDirectory);
    }

    /**
     * As above, with a container source that leases the container for each mail (see {@link ContainerSource}): a
     * reloaded container's predecessor is destroyed only after the mails running on it finished.
     */
    public PipelineRunner(PipelineConfig config, Spool spool, ContainerSource container,
                          MetricRegistry metrics, Clock clock, Path scratchDirectory) {
        this(config, spool, container, metrics, clock, scratchDirectory, QUEUE_PER_WORKER);
    }

    /** As above with {@code queuePerWorker} queued mails per worker (tests use a small queue). */
    PipelineRunner(PipelineConfig config, Spool spool, ContainerSource container,
                   MetricRegistry metrics, Clock clock, Path scratchDirectory, int queuePerWorker) {
        this.config = config;
        this.spool = spool;
        this.container = container;
        this.clock = clock;
        this.scratchDirectory = scratchDirectory;
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.workers() * queuePerWorker),
                r -> new Thread(r, "pipeline-" + threadNumber.incrementAndGet()));
        this.rescanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pipeline-rescan");
            t.setDaemon(true);
            return t;
        });
        this.processed = metrics.counter("pipeline.processed");
        this.failed = metrics.counter("pipeline.failed");
        this.movedToError = metrics.counter("pipeline.error");
        this.deferred = metrics.counter("pipeline.deferred");
        metrics.gauge("pipeline.queued", () -> pending::size);
    }

    /** Rescans INCOMING now and then periodically (every retryDelaySeconds, at most every 10 s). */
    public void start() {
        long period = Math.max(1, Math.min(config.retryDelaySeconds(), 10));
        rescanner.scheduleWithFixedDelay(this::rescan, 0, period, TimeUnit.SECONDS);
    }

    /**
     * Takes a newly stored INCOMING entry; never blocks (a full queue leaves it to the next rescan). The entry as
     * given (with its envelope) is used for the run instead of reading it back from the spool.
     */
    @Override
    public void accept(SpoolEntry entry) {
        submit(entry.id(), entry);
    }

    /** Entries handed to a worker and not finished yet. */
    public int pendingCount() {
        return pending.size();
    }

    /** Lists INCOMING and submits every entry that is due and not already queued. */
    public void rescan() {
        try {
            List<SpoolEntry> entries = spool.list(SpoolArea.INCOMING);
            long now = clock.millis();
            // entries held back that left INCOMING meanwhile (an admin deleted or moved them) are forgotten
            Set<String> listed = new java.util.HashSet<>();
            entries.forEach(e -> listed.add(e.id()));
            heldBack.keySet().retainAll(listed);
            for (SpoolEntry entry : entries) {
                if (due(entry, now)) {
                    submit(entry.id(), null);
                }
            }
        } catch (SpoolException e) {
            LOG.error("cannot list the INCOMING spool area: {}", e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.error("rescan of INCOMING failed", e);
        }
    }

    private boolean due(SpoolEntry entry, long now) {
        return notBefore(entry.envelope()) <= now && heldBack.getOrDefault(entry.id(), 0L) <= now;
    }

    /** @param handed the entry as just stored, or null: read it from the spool when its turn comes */
    private void submit(String id, SpoolEntry handed) {
        if (!pending.add(id)) {
            return;
        }
        try {
            workers.execute(() -> run(id, handed));
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            LOG.debug("pipeline queue full or stopped, {} waits for the next rescan", id);
        }
    }

    private void run(String id, SpoolEntry handed) {
        MDC.put("queueId", id);
        try {
            Optional<SpoolEntry> found;
            if (handed != null && handed.area() == SpoolArea.INCOMING) {
                // a rescan may have listed it and another worker finished it (deleted it) before this run began:
                // the entry handed over at acceptance is run only while it is still there
                found = spool.contains(handed) ? Optional.of(handed) : Optional.empty();
            } else {
                found = spool.find(SpoolArea.INCOMING, id);
            }
            if (found.isEmpty()) {
                LOG.debug("no longer in INCOMING (finished meanwhile), nothing to do");
                return;
            }
            SpoolEntry entry = found.get();
            if (!due(entry, clock.millis())) {
                return;
            }
            runThroughContainer(entry);
        } catch (SpoolException e) {
            LOG.error("cannot read spool entry: {}", e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.error("pipeline worker failed outside a run (the entry stays in INCOMING): {}", e.toString(), e);
        } finally {
            pending.remove(id);
            MDC.remove("queueId");
        }
    }

    private void runThroughContainer(SpoolEntry entry) {
        String startState;
        try {
            try (MailScratch scratch = new MailScratch(scratchDirectory)) {
                GatewayMail mail = GatewayMail.fromSpool(entry, spool, scratch);
                // an unreadable spool file is a failure of this run (retried, then ERROR area), not an
                // error-processor case in which a mailet could drop the mail
                mail.getMessage();
                startState = mail.getState();
                try (ContainerSource.Lease lease = container.acquire()) {
                    lease.container().process(mail);
                }
            } // the messages opened from the spool are closed first: the deleted entry's files may then be reused
            spool.delete(entry);
        } catch (Throwable e) { // a StackOverflowError in a mailet is this mail's failure, never the worker's end
            if (LocalErrors.isTemporary(e)) {
                deferred.inc();
                holdBack(entry, e);
            } else {
                failed.inc();
                recordFailure(entry, e);
            }
            return;
        }
        heldBack.remove(entry.id());
        processed.inc();
        LOG.info("processed by pipeline (started in {}, {} recipient(s))", startState,
                entry.envelope().recipients().size());
    }

    /**
     * A temporary local error stopped the run: the entry stays as it is in INCOMING, without a failure counted, and
     * runs again after the retry delay (remembered in memory: writing the envelope may be what fails).
     */
    private void holdBack(SpoolEntry entry, Throwable cause) {
        heldBack.put(entry.id(), clock.millis() + TimeUnit.SECONDS.toMillis(config.retryDelaySeconds()));
        LOG.warn("pipeline run stopped by a temporary local error, not counted as a failure; retry in {} s: {}",
                config.retryDelaySeconds(), oneLine(cause));
    }

    private void recordFailure(SpoolEntry entry, Throwable cause) {
        Envelope envelope = entry.envelope();
        int failures = parseInt(envelope.attributes().get(PipelineAttributes.FAILURES)) + 1;
        String reason = oneLine(cause);
        Map<String, String> attributes = new HashMap<>(envelope.attributes());
        attributes.put(PipelineAttributes.FAILURES, Integer.toString(failures));
        attributes.put(PipelineAttributes.LAST_ERROR, reason);
        attributes.put(PipelineAttributes.NOT_BEFORE,
                Long.toString(clock.millis() + TimeUnit.SECONDS.toMillis(config.retryDelaySeconds())));
        // the stack of a StackOverflowError is a thousand frames of the same few lines: the reason says enough
        Throwable trace = cause instanceof VirtualMachineError ? null : cause;
        try {
            SpoolEntry updated = spool.updateEnvelope(entry, envelope.withAttributes(attributes));
            if (failures >= config.maxFailures()) {
                spool.move(updated, SpoolArea.ERROR);
                movedToError.inc();
                LOG.atError().addKeyValue(LogFields.STAGE, "pipeline").addKeyValue(LogFields.OUTCOME, "error")
                        .setCause(trace)
                        .log("moved to the error area after {} failed pipeline runs: {}", failures, reason);
            } else {
                LOG.warn("pipeline run failed (attempt {} of {}), retry in {} s: {}", failures, config.maxFailures(),
                        config.retryDelaySeconds(), reason, trace);
            }
        } catch (SpoolException e) {
            LOG.error("pipeline run failed ({}) and the failure could not be recorded: {}; retrying later", reason,
                    e.getMessage());
            heldBack.put(entry.id(), clock.millis() + TimeUnit.SECONDS.toMillis(config.retryDelaySeconds()));
        }
    }

    private static String oneLine(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getName() : e instanceof Error
                ? e.getClass().getName() + ": " + e.getMessage() : e.getMessage();
        text = text.replaceAll("[\\r\\n]+", " ");
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) + "..." : text;
    }

    private static long notBefore(Envelope envelope) {
        String value = envelope.attributes().get(PipelineAttributes.NOT_BEFORE);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int parseInt(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Stops taking work and drops queued entries (they stay in INCOMING for the next start), lets running mails
     * finish (up to 30 s).
     */
    @Override
    public void close() {
        rescanner.shutdownNow();
        List<Runnable> dropped = new ArrayList<>();
        workers.getQueue().drainTo(dropped);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("pipeline workers still busy after 30 s; interrupting (entries stay in INCOMING)");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
