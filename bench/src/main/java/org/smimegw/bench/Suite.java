package org.smimegw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.bench.baseline.OpensslBaseline;
import org.smimegw.bench.baseline.RawCryptoBaseline;
import org.smimegw.bench.load.LatencyStats;
import org.smimegw.bench.load.LoadDriver;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.bench.load.ThroughputResult;
import org.smimegw.bench.pki.BenchPki;
import org.smimegw.bench.report.SuiteRun;
import org.smimegw.bench.smtp.SmtpSink;
import org.smimegw.bench.sut.MachineCpu;
import org.smimegw.bench.sut.PostfixRelay;
import org.smimegw.bench.sut.PostfixSmtpTools;
import org.smimegw.bench.sut.SystemUnderTest;
import org.smimegw.certstore.testing.TestPki.KeyType;

/** One repetition of the suite: rig ceiling, Postfix, openssl, raw crypto, then the gateway scenarios. */
public final class Suite {

    private static final Logger LOG = LoggerFactory.getLogger(Suite.class);
    static final int KB10 = 10 * 1024;

    private final BenchOptions options;
    private final BenchPki pki;
    private final GatewayBench gateway;

    public Suite(BenchOptions options, BenchPki pki, GatewayBench gateway) {
        this.options = options;
        this.pki = pki;
        this.gateway = gateway;
    }

    public static String keyName(KeyType k) {
        return switch (k) {
            case RSA_2048 -> "RSA-2048";
            case RSA_3072 -> "RSA-3072";
            case EC_P256 -> "EC-P256";
            case EC_P384 -> "EC-P384";
        };
    }

    /** "10KB", "25MB"; rounded, so that the largest message a 50 MiB limit lets through is "50MB". */
    static String sizeName(int bytes) {
        return bytes >= 1024 * 1024 ? Math.round(bytes / (1024.0 * 1024)) + "MB" : Math.round(bytes / 1024.0) + "KB";
    }

    public SuiteRun run(int index) throws Exception {
        SuiteRun run = new SuiteRun(index);
        double load0 = MachineCpu.loadAverage();
        Path work = Files.createDirectories(options.workDir().resolve("run" + index));
        try (SmtpSink sink = SmtpSink.start()) {
            LoadDriver driver = new LoadDriver(sink, options.drainTimeout());
            MessageTemplate main = MessageTemplate.plain(KB10, MessageTemplate.partnerRecipients(1));
            guarded(run, "rig", () -> rig(run, driver, sink, main));
            guarded(run, "Postfix baseline", () -> postfix(run, driver, sink, work));
            // the main gateway rows right after Postfix and right before the crypto baselines: the ratios compare
            // figures measured close together in time (the machine's load drifts)
            if (!options.skipGateway()) {
                guarded(run, "gateway main scenarios", () -> gateway.run(this, run, driver, sink, work, true));
            }
            guarded(run, "crypto baselines", () -> crypto(run, work));
            if (!options.skipGateway()) {
                guarded(run, "gateway scenarios", () -> gateway.run(this, run, driver, sink, work, false));
            } else {
                run.note("gateway scenarios skipped (--skip-gateway)");
            }
        }
        run.machineLoad(load0, MachineCpu.loadAverage());
        return run;
    }

    private void rig(SuiteRun run, LoadDriver driver, SmtpSink sink, MessageTemplate main) throws Exception {
        String name = "rig: generator → sink 10KB";
        double rate = 0;
        if (options.selected(name)) {
            ThroughputResult r = driver.measure(name, main, SystemUnderTest.direct(sink.port()), options.sessions(),
                    Duration.ofSeconds(1), options.measure(), 0, 0);
            run.add(r);
            rate = r.deliveredPerSecond();
        }
        String why = PostfixSmtpTools.unavailableReason();
        if (why != null) {
            run.note("smtp-source/smtp-sink rows skipped: " + why);
            return;
        }
        long count = (long) Math.min(50_000, Math.max(2_000, rate * 3));
        if (options.selected("rig: smtp-source → smtp-sink 10KB")) {
            try (PostfixSmtpTools.Sink pfSink = PostfixSmtpTools.startSink()) {
                PostfixSmtpTools.source(pfSink.port(), options.sessions(), 500, KB10, 1); // warm-up
                Cpu cpu = Cpu.start(-1);
                PostfixSmtpTools.SourceRun s = PostfixSmtpTools.source(pfSink.port(), options.sessions(), count, KB10, 1);
                run.add(sourceRow("rig: smtp-source → smtp-sink 10KB", "smtp-sink", s, cpu.stop(s.messages())));
            }
        }
        if (options.full() && options.selected("rig: smtp-source → sink 10KB")) {
            Cpu cpu = Cpu.start(-1);
            PostfixSmtpTools.SourceRun s = PostfixSmtpTools.source(sink.port(), options.sessions(), count, KB10, 1);
            run.add(sourceRow("rig: smtp-source → sink 10KB", "sink", s, cpu.stop(s.messages())));
            sink.reset();
        }
    }

    /**
     * Drives a relay with Postfix's smtp-source instead of the bench's generator (a cross-check of the generator):
     * {@code count} 10 KB messages over the configured sessions; delivered msg/s = count / (time until the sink
     * received all of them).
     */
    ThroughputResult smtpSourceThrough(String name, SystemUnderTest sut, SmtpSink sink, long count) throws Exception {
        sink.reset();
        long start = System.nanoTime();
        Cpu cpu = Cpu.start(sut.pid());
        PostfixSmtpTools.SourceRun s = PostfixSmtpTools.source(sut.port(), options.sessions(), count, KB10, 1);
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (sink.messages() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long delivered = Math.min(count, sink.messages());
        double[] c = cpu.stop(delivered);
        LatencyStats.Summary none = LatencyStats.of(new long[0]).summary();
        List<String> errors = new java.util.ArrayList<>();
        if (!s.ok()) {
            errors.add("smtp-source failed: " + s.output());
        }
        if (delivered < count) {
            errors.add((count - delivered) + " message(s) had not arrived at the sink");
        }
        LOG.info("{}: {} msg/s delivered", name, String.format("%.1f", delivered / seconds));
        return new ThroughputResult(name, sut.name(), KB10, 1, options.sessions(), 0, s.seconds(),
                s.ok() ? count : 0, delivered, s.ok() ? 0 : count, count / s.seconds(), delivered / seconds,
                delivered / seconds * KB10 / 1e6, none, none, c[0], c[1], c[2], c[3], -1, sink.headerCounts(), errors);
    }

    boolean smtpSourceAvailable() {
        return PostfixSmtpTools.unavailableReason() == null;
    }

    /** CPU readings around a measurement that the LoadDriver does not run (smtp-source rows). */
    record Cpu(long pid, double sut0, double self0, MachineCpu.Sample machine0, long t0) {
        static Cpu start(long pid) {
            return new Cpu(pid, pid > 0 ? org.smimegw.bench.sut.ProcessTreeCpu.cpuSeconds(pid) : 0,
                    org.smimegw.bench.sut.ProcessTreeCpu.selfCpuSeconds(), MachineCpu.sample(), System.nanoTime());
        }

        /** {SUT %, SUT ms/msg, bench % (incl. smtp-source, a child), machine busy %}. */
        double[] stop(long messages) {
            double wall = (System.nanoTime() - t0) / 1e9;
            double sut = pid > 0 ? org.smimegw.bench.sut.ProcessTreeCpu.cpuSeconds(pid) - sut0 : 0;
            double self = org.smimegw.bench.sut.ProcessTreeCpu.selfCpuSeconds() - self0;
            return new double[] {100 * sut / wall, messages > 0 ? 1000 * sut / messages : 0, 100 * self / wall,
                    MachineCpu.sample().busyPercentSince(machine0)};
        }
    }

    private ThroughputResult sourceRow(String name, String sut, PostfixSmtpTools.SourceRun s, double[] cpu) {
        LatencyStats.Summary none = LatencyStats.of(new long[0]).summary();
        List<String> errors = s.ok() ? List.of() : List.of("smtp-source failed: " + s.output());
        LOG.info("{}: {} msg/s", name, String.format("%.0f", s.perSecond()));
        return new ThroughputResult(name, sut, KB10, 1, options.sessions(), 0, s.seconds(), s.ok() ? s.messages() : 0,
                s.ok() ? s.messages() : 0, s.ok() ? 0 : s.messages(), s.perSecond(), s.perSecond(),
                s.perSecond() * KB10 / 1e6, none, none, cpu[0], cpu[1], cpu[2], cpu[3], -1, java.util.Map.of(), errors);
    }

    private void postfix(SuiteRun run, LoadDriver driver, SmtpSink sink, Path work) throws Exception {
        if (options.skipPostfix()) {
            run.note("Postfix baseline skipped (--skip-postfix)");
            return;
        }
        String why = PostfixRelay.unavailableReason();
        if (why != null) {
            run.note("Postfix baseline skipped: " + why);
            LOG.warn("Postfix baseline skipped: {}", why);
            return;
        }
        List<int[]> cases = options.full()
                ? List.of(new int[] {KB10, 1}, new int[] {KB10, 10}, new int[] {100 * 1024, 1}, new int[] {1024 * 1024, 1})
                : List.of(new int[] {KB10, 1});
        try (PostfixRelay postfix = PostfixRelay.start(work.resolve("postfix"), sink.port())) {
            boolean warmedUp = false;
            for (int[] c : cases) {
                String name = "postfix plain " + sizeName(c[0]) + (c[1] > 1 ? " " + c[1] + "rcpt" : "");
                MessageTemplate m = MessageTemplate.plain(c[0], MessageTemplate.partnerRecipients(c[1]));
                if (options.selected(name)) {
                    if (!warmedUp) { // as the gateway's processes are
                        driver.warmUpProcess(m, postfix, options.sessions(), options.processWarmup());
                        warmedUp = true;
                    }
                    ThroughputResult max = driver.measure(name, m, postfix, options.sessions(), options.warmup(),
                            options.measure(), 0, 0);
                    run.add(max);
                    // the same latency figure as the gateway's target, for comparison
                    if (c[0] == KB10 && c[1] == 1 && max.deliveredPerSecond() > 0
                            && options.selected(name + " @ half max")) {
                        run.add(driver.measure(name + " @ half max", m, postfix, options.sessions(), Duration.ZERO,
                                options.measure(), max.deliveredPerSecond() / 2, 0));
                    }
                    if (c[0] == KB10 && c[1] == 1 && smtpSourceAvailable() && options.selected(name + " via smtp-source")) {
                        long count = Math.max(200, max.accepted()); // as many as the generator sent
                        run.add(smtpSourceThrough(name + " via smtp-source", postfix, sink, count));
                    }
                }
            }
        }
    }

    private void crypto(SuiteRun run, Path work) throws Exception {
        List<KeyType> keys = options.full() ? List.of(KeyType.RSA_2048, KeyType.RSA_3072, KeyType.EC_P256)
                : List.of(KeyType.RSA_2048);
        List<Integer> rcpts = options.full() ? List.of(1, 10) : List.of(1);
        String opensslMissing = options.skipOpenssl() ? "--skip-openssl" : OpensslBaseline.unavailableReason();
        if (opensslMissing != null) {
            run.note("openssl baseline skipped: " + opensslMissing);
        }
        for (KeyType k : keys) {
            for (int n : rcpts) {
                MessageTemplate m = MessageTemplate.plain(KB10, MessageTemplate.partnerRecipients(n));
                String suffix = " " + keyName(k) + " 10KB" + (n > 1 ? " " + n + "rcpt" : "");
                if (opensslMissing == null && options.selected("openssl" + suffix)) {
                    run.add(OpensslBaseline.run(work.resolve("openssl"), m, pki.alice(k), pki.partners(k, n),
                            keyName(k), 2, options.measure()));
                }
                for (RawCryptoBaseline.Providers p : RawCryptoBaseline.Providers.values()) {
                    if (options.selected("raw " + p + suffix)) {
                        run.add(RawCryptoBaseline.run(m, pki.alice(k), pki.partners(k, n), keyName(k), p, 2,
                                Duration.ofSeconds(1), options.measure()));
                    }
                }
            }
        }
    }

    /** A part of the suite that may fail without stopping the others. */
    interface Part {
        void run() throws Exception;
    }

    private static void guarded(SuiteRun run, String what, Part part) {
        try {
            part.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            LOG.error("{} failed", what, e);
            run.note(what + " failed: " + e.getMessage());
        }
    }

    /** The gateway scenarios (separate so the suite runs without a built gateway). */
    public interface GatewayBench {
        /** {@code primary}: only the main rows (plain and sign+encrypt RSA-2048 10 KB), else all the others. */
        void run(Suite suite, SuiteRun run, LoadDriver driver, SmtpSink sink, Path work, boolean primary)
                throws Exception;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", dir, e.toString());
        }
    }
}
