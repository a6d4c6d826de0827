package org.smimegw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.bench.load.LoadDriver;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.bench.load.ThroughputResult;
import org.smimegw.bench.pki.BenchPki;
import org.smimegw.bench.pki.InboundMessages;
import org.smimegw.bench.report.GatewayStart;
import org.smimegw.bench.report.SuiteRun;
import org.smimegw.bench.smtp.SmtpSink;
import org.smimegw.bench.sut.GatewayProcess;
import org.smimegw.bench.sut.Ports;
import org.smimegw.bench.sut.StartupCache;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.CertificateImporter;
import org.smimegw.certstore.importer.ImportReport;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.testing.TestPki.Issued;
import org.smimegw.certstore.testing.TestPki.KeyType;
import org.smimegw.gateway.smtp.SmtpConfig;

/**
 * The gateway scenarios: per pipeline kind and key type one gateway process (the jar, a generated gateway.yaml and
 * mailetcontainer.xml, a certificate store filled through the certstore's importer), relaying to the sink; in it the
 * measurements of that kind (sizes, recipient counts, paced at half the maximum).
 */
public final class GatewayScenarios implements Suite.GatewayBench {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayScenarios.class);
    private static final String P12_PASSWORD = "bench-p12";
    private static final int MB = 1024 * 1024;
    /**
     * The largest message the gateway's default {@code smtp.maxMessageSize} (50 MiB) accepts from the generator, which
     * puts an {@code X-Bench-Id} header in front of it.
     */
    static final int BIG_MESSAGE = Math.toIntExact(SmtpConfig.DEFAULT_MAX_MESSAGE_SIZE) - 1024;

    /** What the pipeline does to the mail. */
    enum Kind {
        PLAIN("plain", true), SIGN("sign", true), ENCRYPT("encrypt", true), SIGN_ENCRYPT("sign+encrypt", true),
        VERIFY("verify", false), DECRYPT_VERIFY("decrypt+verify", false);

        final String label;
        final boolean outgoing;

        Kind(String label, boolean outgoing) {
            this.label = label;
            this.outgoing = outgoing;
        }
    }

    /** One measurement inside a gateway process. */
    record Measure(int size, int recipients, boolean halfRate) {
    }

    /** One gateway process and what is measured in it. */
    record Group(Kind kind, KeyType key, List<String> jvmOptions, List<Measure> measures) {
    }

    private final BenchOptions options;
    private final BenchPki pki;
    private Suite suite;
    private final Map<KeyType, Path> certstores = new EnumMap<>(KeyType.class);
    private final Path javaLauncher = Path.of(ProcessHandle.current().info().command().orElse("java"));

    public GatewayScenarios(BenchOptions options, BenchPki pki) {
        this.options = options;
        this.pki = pki;
    }

    @Override
    public void run(Suite suite, SuiteRun run, LoadDriver driver, SmtpSink sink, Path work, boolean primary)
            throws Exception {
        this.suite = suite;
        if (!Files.isRegularFile(options.gatewayJar())) {
            run.note("gateway scenarios skipped: " + options.gatewayJar() + " not built (./mvnw -q -DskipTests package)");
            return;
        }
        if (options.gatewayLauncher() != null && !Files.isExecutable(options.gatewayLauncher())) {
            run.note("gateway scenarios skipped: no launcher " + options.gatewayLauncher()
                    + " (--gateway-launcher none starts java -jar instead)");
            return;
        }
        // the main rows (plain and sign+encrypt RSA-2048 10 KB) run next to the baselines, the rest after them
        List<Group> selected = groups().stream().filter(g -> isPrimary(g) == primary)
                .filter(g -> g.measures().stream().map(m -> name(g, m)).anyMatch(options::selected)).toList();
        StartupCache cache = new StartupCache(work.resolve("startup-cache"));
        if (!selected.isEmpty() && options.gatewayLauncher() != null && run.starts().isEmpty()) {
            try {
                firstStart(run, sink, work, cache);
            } catch (Exception e) {
                LOG.error("first gateway start failed", e);
                run.note("the first gateway start (without start-up cache) failed: " + e.getMessage());
            }
        }
        for (Group g : selected) {
            try {
                runGroup(run, driver, sink, work, g, cache);
            } catch (Exception e) {
                LOG.error("gateway {} {} failed", g.kind().label, Suite.keyName(g.key()), e);
                run.note("gateway " + g.kind().label + " " + Suite.keyName(g.key()) + " failed: " + e.getMessage());
            }
        }
        if (!primary) {
            startFigures(run);
        }
    }

    /**
     * The run's first start through the launcher, with an empty cache directory: the start without start-up cache (a
     * figure of its own), stopped right away so that it writes the cache that every later start of the run uses. It
     * gets no mail, so no measured gateway runs while it records.
     */
    private void firstStart(SuiteRun run, SmtpSink sink, Path work, StartupCache cache) throws Exception {
        Group plain = new Group(Kind.PLAIN, KeyType.RSA_2048, List.of(), List.of());
        Path dir = Files.createDirectories(work.resolve("gateway-first-start"));
        launch(run, sink, work, plain, dir, "first-start", cache).close();
        if (!cache.written()) {
            run.note("the launcher's start-up cache was not written when the first gateway stopped ("
                    + cache.directory() + "): every start of this run is without it");
        }
    }

    /** The start figures of a run: with the launcher's start-up cache (the target) and without. */
    static void startFigures(SuiteRun run) {
        List<GatewayStart> cached = run.starts().stream().filter(GatewayStart::withCache).toList();
        List<GatewayStart> cold = run.starts().stream().filter(s -> !s.withCache()).toList();
        if (!cached.isEmpty()) {
            List<Double> sorted = cached.stream().map(GatewayStart::launchToReadyMillis).sorted().toList();
            run.figure(Targets.START_SECONDS, sorted.get(sorted.size() / 2) / 1000);
            run.figure("gateway start with cache, fastest of " + sorted.size() + " starts, s", sorted.getFirst() / 1000);
            run.figure("gateway start with cache, slowest of " + sorted.size() + " starts, s", sorted.getLast() / 1000);
            List<Double> reported = cached.stream().map(GatewayStart::selfReportedMillis).filter(v -> v > 0).sorted()
                    .toList();
            if (!reported.isEmpty()) {
                run.figure("gateway start with cache as its ready line reports it (ms since JVM start), median, s",
                        reported.get(reported.size() / 2) / 1000);
            }
        }
        if (!cold.isEmpty()) {
            // with the launcher the run's first start; without it (--gateway-launcher none) every start, median
            List<Double> sorted = cold.stream().map(GatewayStart::launchToReadyMillis).sorted().toList();
            run.figure(Targets.COLD_START_SECONDS, sorted.get(sorted.size() / 2) / 1000);
        }
    }

    private List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        List<String> none = List.of();
        int kb10 = Suite.KB10;
        if (!options.full()) {
            groups.add(new Group(Kind.PLAIN, KeyType.RSA_2048, none,
                    List.of(new Measure(kb10, 1, false), new Measure(kb10, 1, true))));
            groups.add(new Group(Kind.SIGN_ENCRYPT, KeyType.RSA_2048, none, List.of(new Measure(kb10, 1, false),
                    new Measure(kb10, 1, true), new Measure(kb10, 10, false))));
            for (Kind k : List.of(Kind.VERIFY, Kind.DECRYPT_VERIFY)) {
                groups.add(new Group(k, KeyType.RSA_2048, none, List.of(new Measure(kb10, 1, false))));
            }
            groups.add(new Group(Kind.SIGN_ENCRYPT, KeyType.EC_P256, none, List.of(new Measure(kb10, 1, false))));
        } else {
            groups.add(new Group(Kind.PLAIN, KeyType.RSA_2048, none, List.of(new Measure(kb10, 1, false),
                    new Measure(kb10, 1, true), new Measure(kb10, 10, false), new Measure(100 * 1024, 1, false),
                    new Measure(MB, 1, false), new Measure(25 * MB, 1, false))));
            for (KeyType key : List.of(KeyType.RSA_2048, KeyType.RSA_3072, KeyType.EC_P256)) {
                for (Kind k : Kind.values()) {
                    if (k == Kind.PLAIN) {
                        continue;
                    }
                    List<Measure> ms = new ArrayList<>();
                    for (int size : List.of(kb10, 100 * 1024, MB, 25 * MB)) {
                        ms.add(new Measure(size, 1, false));
                        if (k.outgoing && size == kb10) {
                            ms.add(new Measure(size, 10, false));
                        }
                    }
                    if (k == Kind.SIGN_ENCRYPT && key == KeyType.RSA_2048) {
                        ms.add(1, new Measure(kb10, 1, true));
                    }
                    groups.add(new Group(k, key, none, ms));
                }
            }
        }
        // one message of the default size limit signed and encrypted by a gateway limited to 256 MB of heap
        groups.add(new Group(Kind.SIGN_ENCRYPT, KeyType.RSA_2048, List.of("-Xmx256m"),
                List.of(new Measure(BIG_MESSAGE, 1, false))));
        return groups;
    }

    private static boolean isPrimary(Group g) {
        return g.jvmOptions().isEmpty() && (g.kind() == Kind.PLAIN
                || (g.kind() == Kind.SIGN_ENCRYPT && g.key() == KeyType.RSA_2048));
    }

    static String name(Group g, Measure m) {
        StringBuilder n = new StringBuilder("gateway ").append(g.kind().label);
        if (g.kind() != Kind.PLAIN) {
            n.append(' ').append(Suite.keyName(g.key()));
        }
        n.append(' ').append(Suite.sizeName(m.size()));
        if (m.recipients() > 1) {
            n.append(' ').append(m.recipients()).append("rcpt");
        }
        if (!g.jvmOptions().isEmpty()) {
            n.append(' ').append(String.join(" ", g.jvmOptions()));
        }
        if (m.halfRate()) {
            n.append(Targets.HALF_RATE);
        }
        return n.toString();
    }

    private void runGroup(SuiteRun run, LoadDriver driver, SmtpSink sink, Path work, Group g, StartupCache cache)
            throws Exception {
        String tag = g.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (g.kind() == Kind.PLAIN ? "" : "-" + Suite.keyName(g.key()))
                + (g.jvmOptions().isEmpty() ? "" : "-" + String.join("", g.jvmOptions()).replaceAll("[^A-Za-z0-9]", ""));
        Path dir = Files.createDirectories(work.resolve("gateway-" + tag));
        try (GatewayProcess gw = launch(run, sink, work, g, dir, tag, cache)) {
            java.util.Optional<Measure> first = g.measures().stream()
                    .filter(m -> options.selected(name(g, m)) && m.size() < 25 * MB).findFirst();
            if (first.isPresent()) {
                driver.warmUpProcess(template(g, first.get(), dir), gw, options.sessions(), options.processWarmup());
            }
            double max = 0;
            long maxAccepted = 0;
            for (Measure m : g.measures()) {
                String name = name(g, m);
                if (!options.selected(name)) {
                    continue;
                }
                MessageTemplate template = template(g, m, dir);
                boolean big = m.size() >= 25 * MB;
                int sessions = big ? (g.jvmOptions().isEmpty() ? Math.min(2, options.sessions()) : 1)
                        : options.sessions();
                Duration warmup = big ? Duration.ZERO : options.warmup();
                long maxMessages = big && !g.jvmOptions().isEmpty() ? 1 : 0;
                Duration measure = maxMessages > 0 ? Duration.ofMinutes(5) : options.measure();
                double rate = m.halfRate() ? max / 2 : 0;
                if (m.halfRate() && max <= 0) {
                    run.note(name + " skipped: no maximum measured before it");
                    continue;
                }
                ThroughputResult r = driver.measure(name, template, gw, sessions, warmup, measure, rate, maxMessages);
                run.add(r);
                if (!m.halfRate() && m.size() == Suite.KB10 && m.recipients() == 1) {
                    max = r.deliveredPerSecond();
                    maxAccepted = r.accepted();
                }
                if (maxMessages > 0) {
                    run.figure(name + " peak heap MB", r.peakHeapMb());
                    run.figure(name + " peak RSS MB", gw.peakRssMb());
                    run.figure(name + " accept+delivery s", (r.accept().max() + r.endToEnd().max()) / 1000);
                }
                if (!gw.alive()) {
                    // keep the evidence: the work directory is deleted at the end of the run
                    Files.createDirectories(options.outDir());
                    Path kept = options.outDir().resolve("gateway-died-run" + run.index() + "-" + tag + "-"
                            + System.currentTimeMillis() + ".log");
                    Files.copy(gw.log(), kept);
                    run.note(name + ": the gateway process died (exit " + gw.exitCode() + "); its log: " + kept);
                    break;
                }
            }
            // the main rows also through Postfix's own load generator, as Postfix's row is (an independent pair)
            String viaSmtpSource = name(g, new Measure(Suite.KB10, 1, false)) + Targets.VIA_SMTP_SOURCE;
            if (isPrimary(g) && max > 0 && suite.smtpSourceAvailable() && options.selected(viaSmtpSource)) {
                long count = Math.max(200, maxAccepted); // as many as the generator sent
                run.add(suite.smtpSourceThrough(viaSmtpSource, gw, sink, count));
            }
            run.figure("gateway " + tag + " peak RSS MB", gw.peakRssMb());
        }
    }

    /**
     * Writes the group's gateway.yaml and mailetcontainer.xml into {@code dir} and starts a gateway on them: through
     * the launcher with the run's start-up cache, or (no launcher) with java -jar; records the start.
     */
    private GatewayProcess launch(SuiteRun run, SmtpSink sink, Path work, Group g, Path dir, String tag,
                                  StartupCache cache) throws Exception {
        Path store = g.kind() == Kind.PLAIN ? Files.createDirectories(work.resolve("certstore-empty"))
                : certstore(g.key(), work.getParent());
        int port = Ports.free();
        Path xml = Files.writeString(dir.resolve("mailetcontainer.xml"), GatewayConfigs.mailetContainer(g.kind()));
        Path yaml = Files.writeString(dir.resolve("gateway.yaml"),
                GatewayConfigs.gatewayYaml(port, sink.port(), Ports.free(), dir.resolve("state"), xml, store,
                        options.pipelineSettings()));
        List<String> jvm = new ArrayList<>(g.jvmOptions());
        jvm.addAll(options.gatewayJvmOptions());
        if (options.jfrDir() != null) {
            Files.createDirectories(options.jfrDir());
            jvm.add("-XX:StartFlightRecording=filename=" + options.jfrDir().resolve("run" + run.index() + "-" + tag
                    + ".jfr") + ",settings=profile");
        }
        boolean cacheThere = options.gatewayLauncher() != null && cache.written();
        GatewayProcess gw = options.gatewayLauncher() == null
                ? GatewayProcess.start(javaLauncher, options.gatewayJar(), dir, yaml, port, jvm)
                : GatewayProcess.startWithLauncher(options.gatewayLauncher(), cache, dir, yaml, port, jvm);
        // a JVM that warned about the cache may not have used it: such a start does not count as one with cache
        gw.cacheWarnings().forEach(w -> run.note("gateway " + tag + " start: " + w));
        run.add(new GatewayStart(gw.startMillis(), gw.reportedSinceJvmStartMillis(),
                cacheThere && gw.cacheWarnings().isEmpty()));
        return gw;
    }

    private MessageTemplate template(Group g, Measure m, Path dir) throws Exception {
        if (g.kind().outgoing) {
            return MessageTemplate.plain(m.size(), MessageTemplate.partnerRecipients(m.recipients()));
        }
        Issued bob = pki.bob(g.key());
        Issued alice = pki.alice(g.key());
        return InboundMessages.create(dir.resolve("inbound-" + m.size() + ".eml"), m.size(), bob, alice,
                g.kind() == Kind.DECRYPT_VERIFY);
    }

    /**
     * A certificate store for one key type, filled once per bench invocation through the certstore's Java API
     * ({@code CertificateImporter}, what {@code smime-gateway certs import-trust/import-user} runs): the test root and
     * intermediate as trust, alice's PKCS#12 (signing and decryption key), user1..10@partner.example to encrypt to.
     */
    private synchronized Path certstore(KeyType key, Path base) throws Exception {
        Path existing = certstores.get(key);
        if (existing != null) {
            return existing;
        }
        Path dir = Files.createDirectories(base.resolve("certstore-" + Suite.keyName(key)));
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("keystore.pass"), "bench-store-" + Long.toHexString(System.nanoTime()) + "\n");
        FileCertificateStore fileStore = new FileCertificateStore(store, new KeyPasswordSource(
                "file:" + store.resolve("keystore.pass"), System::getenv, false, store));
        CertificateImporter importer = new CertificateImporter(fileStore, new CertificateFileParser(),
                Clock.systemUTC());
        TestPki p = pki.pki();
        Path trust = TestPki.writePem(dir.resolve("trust.pem"), p.rootCertificate(), p.intermediate().certificate());
        check(importer.importTrust(trust), 2);
        Path aliceP12 = TestPki.writePkcs12(pki.alice(key), dir.resolve("alice.p12"), P12_PASSWORD.toCharArray());
        check(importer.importUser(aliceP12, P12_PASSWORD.toCharArray(), true), 1);
        List<Issued> partners = pki.partners(key, BenchPki.MAX_RECIPIENTS);
        for (int i = 0; i < partners.size(); i++) {
            Path pem = BenchPki.writeCertificate(partners.get(i), dir.resolve("user" + (i + 1) + ".pem"));
            check(importer.importUser(pem, null, false), 1);
        }
        certstores.put(key, store);
        LOG.info("certificate store for {} ready: {}", Suite.keyName(key), store);
        return store;
    }

    private static void check(ImportReport report, int expected) throws IOException {
        if (!report.refused().isEmpty() || report.imported().size() != expected) {
            throw new IOException("certificate import of " + report.file() + ": imported " + report.imported().size()
                    + ", refused " + report.refused());
        }
    }
}
