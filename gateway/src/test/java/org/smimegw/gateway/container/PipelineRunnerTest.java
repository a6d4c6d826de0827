package org.smimegw.gateway.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.codahale.metrics.MetricRegistry;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

class PipelineRunnerTest {
    private static final String REC = "org.smimegw.gateway.container.RecordMailet";

    @TempDir
    Path dir;
    ContainerFixture fx;
    PipelineRunner runner;
    MailetContainer container;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ContainerFixture(dir);
    }

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        if (container != null) {
            container.destroy();
        }
    }

    private MailetContainer load(String rootMailets) throws Exception {
        container = fx.load(MailetContainerLoaderTest.base(rootMailets).replace(
                "<processor state=\"transport\"><mailet match=\"All\" class=\"Null\"/></processor>",
                "<processor state=\"transport\"><mailet match=\"All\" class=\"" + REC
                        + "\"><tag>transport</tag></mailet><mailet match=\"All\" class=\"Null\"/></processor>"));
        return container;
    }

    private SpoolEntry store(Map<String, String> attributes, String... recipients) throws Exception {
        Envelope envelope = new Envelope("alice@example.com", Map.of(), List.of(recipients), "192.0.2.1",
                "client.example", null, Instant.now(), attributes);
        String text = "From: alice@example.com\r\nSubject: t\r\n\r\nbody\r\n";
        return fx.spool.store(SpoolArea.INCOMING, envelope,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private PipelineRunner runner(PipelineConfig config, Clock clock) {
        runner = new PipelineRunner(config, fx.spool, () -> container, fx.metrics, clock, dir.resolve("scratch"));
        return runner;
    }

    /** A condition that may read the spool. */
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void entriesInIncomingAtStartAreProcessedAndDeleted() throws Exception {
        load(rec("root") + toTransport());
        SpoolEntry a = store(Map.of(), "bob@example.org");
        SpoolEntry b = store(Map.of(), "carol@example.org", "dave@example.com");
        runner(new PipelineConfig(null, 2, 5, 30), Clock.systemUTC()).start();
        await("INCOMING empty", () -> fx.spool.list(SpoolArea.INCOMING).isEmpty() && runner.pendingCount() == 0);
        assertThat(fx.recorder.byTag("transport")).extracting(Recorder.Seen::mailName)
                .containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(fx.recorder.recipientsAt("root"))
                .containsExactly("bob@example.org", "carol@example.org", "dave@example.com");
        assertThat(fx.metrics.counter("pipeline.processed").getCount()).isEqualTo(2);
        assertThat(fx.spool.list(SpoolArea.ERROR)).isEmpty();
    }

    @Test
    void acceptNeverBlocksTheSmtpThreadEvenWithEveryWorkerBusyAndTheQueueFull() throws Exception {
        load(rec("held") + toTransport());
        fx.recorder.hold("held");
        runner = new PipelineRunner(new PipelineConfig(null, 1, 5, 1), fx.spool, ContainerSource.of(() -> container),
                fx.metrics, Clock.systemUTC(), dir.resolve("scratch"), 64); // a small queue (default: 4096 per worker)
        List<SpoolEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 1 + 64 + 40; i++) { // one running (held), a full queue (64 per worker), and more
            entries.add(store(Map.of(), "bob@example.org"));
        }
        // this thread plays the SMTP session thread: each accept returns although the only worker is held; a
        // blocking accept would wait here until the release below, i.e. forever (the timeout only guards a hang)
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofMinutes(1),
                () -> entries.forEach(runner::accept));
        assertThat(runner.pendingCount()).isBetween(64, 65); // the rest waits in INCOMING for a rescan
        fx.recorder.release();
        runner.start(); // rescans pick up what the full queue turned away
        await("all processed", () -> fx.spool.list(SpoolArea.INCOMING).isEmpty() && runner.pendingCount() == 0);
        assertThat(fx.recorder.byTag("transport")).hasSize(entries.size());
    }

    @Test
    void acceptedEntryRunsFromTheStateStoredInItsEnvelope() throws Exception {
        load(rec("root") + toTransport());
        runner(new PipelineConfig(null, 1, 5, 30), Clock.systemUTC()).start();
        SpoolEntry entry = store(Map.of(PipelineAttributes.STATE, "transport"), "bob@example.org");
        runner.accept(entry);
        await("processed", () -> fx.spool.find(SpoolArea.INCOMING, entry.id()).isEmpty());
        assertThat(fx.recorder.byTag("root")).isEmpty();
        assertThat(fx.recorder.byTag("transport")).singleElement()
                .satisfies(seen -> assertThat(seen.mailName()).isEqualTo(entry.id()));
    }

    @Test
    void failuresAreCountedRetriedAndFinallyMovedToTheErrorArea() throws Exception {
        load("<mailet match=\"All\" class=\"org.smimegw.gateway.container.FailingMailet\" "
                + "onMailetException=\"propagate\"/>" + toTransport());
        SpoolEntry entry = store(Map.of(), "bob@example.org");
        runner(new PipelineConfig(null, 1, 3, 0), Clock.systemUTC()).start();
        // the worker counts the move after it happened: wait until it has finished with the entry
        await("moved to ERROR", () -> fx.spool.find(SpoolArea.ERROR, entry.id()).isPresent()
                && runner.pendingCount() == 0);
        Envelope envelope = fx.spool.find(SpoolArea.ERROR, entry.id()).orElseThrow().envelope();
        assertThat(envelope.attributes()).containsEntry(PipelineAttributes.FAILURES, "3");
        assertThat(envelope.attributes().get(PipelineAttributes.LAST_ERROR)).contains("deliberate failure");
        assertThat(fx.spool.list(SpoolArea.INCOMING)).isEmpty();
        assertThat(fx.metrics.counter("pipeline.failed").getCount()).isEqualTo(3);
        assertThat(fx.metrics.counter("pipeline.error").getCount()).isEqualTo(1);
        assertThat(fx.recorder.byTag("transport")).isEmpty();
    }

    @Test
    void failedEntryWaitsForItsRetryDelay() throws Exception {
        load("<mailet match=\"All\" class=\"org.smimegw.gateway.container.FailingMailet\" "
                + "onMailetException=\"propagate\"/>" + toTransport());
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        SpoolEntry entry = store(Map.of(), "bob@example.org");
        runner(new PipelineConfig(null, 1, 5, 30), clock);
        runner.rescan();
        await("first failure recorded", () -> failures(entry) == 1 && runner.pendingCount() == 0);
        runner.rescan();
        clock.advanceSeconds(29);
        runner.rescan();
        // rescan decides synchronously: an entry that is not due is not handed to a worker at all
        assertThat(runner.pendingCount()).isZero();
        assertThat(failures(entry)).isEqualTo(1);
        clock.advanceSeconds(2);
        runner.rescan();
        await("second failure recorded", () -> failures(entry) == 2);
    }

    @Test
    void unreadableSpoolFileIsAFailureNotADrop() throws Exception {
        // the error processor would drop the mail (Null); an unreadable file must not get that far
        load(rec("root") + toTransport());
        SpoolEntry entry = store(Map.of(), "bob@example.org");
        runner = new PipelineRunner(new PipelineConfig(null, 1, 2, 0),
                new UnreadableContentSpool(fx.spool, "Missing start boundary"),
                () -> container, fx.metrics, Clock.systemUTC(), dir.resolve("scratch"));
        runner.start();
        await("moved to ERROR", () -> fx.spool.find(SpoolArea.ERROR, entry.id()).isPresent());
        assertThat(fx.recorder.all()).isEmpty();
        assertThat(fx.spool.find(SpoolArea.ERROR, entry.id()).orElseThrow().envelope().attributes()
                .get(PipelineAttributes.LAST_ERROR)).contains(entry.id());
    }

    @Test
    void aDiskErrorIsNotTheMailsFailureItStaysInIncomingAndIsTriedAgain() throws Exception {
        load(rec("root") + toTransport());
        SpoolEntry entry = store(Map.of(), "bob@example.org");
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        runner = new PipelineRunner(new PipelineConfig(null, 1, 1, 30),
                new UnreadableContentSpool(fx.spool, "Input/output error"), () -> container, fx.metrics, clock,
                dir.resolve("scratch"));
        runner.rescan();
        await("run stopped by the disk error", () -> fx.metrics.counter("pipeline.deferred").getCount() == 1
                && runner.pendingCount() == 0);
        runner.rescan(); // held back for the retry delay, in memory (writing the envelope may be what fails)
        assertThat(runner.pendingCount()).isZero();
        clock.advanceSeconds(31);
        runner.rescan();
        await("tried again", () -> fx.metrics.counter("pipeline.deferred").getCount() == 2
                && runner.pendingCount() == 0);
        // maxFailures is 1: a counted failure would have moved it to ERROR
        assertThat(fx.metrics.counter("pipeline.failed").getCount()).isZero();
        assertThat(fx.spool.find(SpoolArea.ERROR, entry.id())).isEmpty();
        assertThat(fx.spool.find(SpoolArea.INCOMING, entry.id()).orElseThrow().envelope().attributes())
                .doesNotContainKey(PipelineAttributes.FAILURES);
    }

    @Test
    void aStackOverflowInAMailetIsACountedFailureAndTheWorkerGoesOn() throws Exception {
        load("<mailet match=\"All\" class=\"org.smimegw.gateway.container.OverflowingMailet\"/>" + rec("root")
                + toTransport());
        SpoolEntry deep = store(Map.of(), "deep@example.org");
        runner(new PipelineConfig(null, 1, 2, 0), Clock.systemUTC()).start();
        await("moved to ERROR", () -> fx.spool.find(SpoolArea.ERROR, deep.id()).isPresent()
                && runner.pendingCount() == 0);
        Envelope envelope = fx.spool.find(SpoolArea.ERROR, deep.id()).orElseThrow().envelope();
        assertThat(envelope.attributes()).containsEntry(PipelineAttributes.FAILURES, "2");
        assertThat(envelope.attributes().get(PipelineAttributes.LAST_ERROR)).contains("StackOverflowError");
        assertThat(fx.metrics.counter("pipeline.failed").getCount()).isEqualTo(2);
        assertThat(fx.metrics.counter("pipeline.error").getCount()).isEqualTo(1);
        // the only worker is still there for the next mail
        SpoolEntry next = store(Map.of(), "bob@example.org");
        runner.accept(next);
        await("next mail processed", () -> fx.recorder.byTag("transport").size() == 1);
    }

    @Test
    void anEntryAnotherWorkerFinishedIsNotRunAgainWhenItIsHandedOverLate() throws Exception {
        load(rec("root") + toTransport());
        SpoolEntry entry = store(Map.of(), "bob@example.org");
        runner(new PipelineConfig(null, 1, 5, 0), Clock.systemUTC());
        runner.rescan(); // the rescan finds the new entry before the SMTP thread hands it over...
        await("processed by the rescan's run", () -> fx.recorder.byTag("transport").size() == 1
                && runner.pendingCount() == 0);
        runner.accept(entry); // ...which then comes late, for an entry that is done and deleted
        await("the late hand-over is done", () -> runner.pendingCount() == 0);
        Thread.sleep(200);
        assertThat(fx.recorder.byTag("transport")).hasSize(1);
        assertThat(fx.metrics.counter("pipeline.failed").getCount()).isZero();
        assertThat(fx.metrics.counter("pipeline.processed").getCount()).isEqualTo(1);
    }

    @Test
    void errorProcessorKeepsTheMailInTheErrorAreaAndSpoolMessagesAreClosed() throws Exception {
        MailetContainerLoader loader = new MailetContainerLoader(fx.context, ServiceRegistry.empty()
                .with(Recorder.class, fx.recorder).with(org.smimegw.gateway.spool.Spool.class, fx.spool),
                fx.metrics);
        container = loader.load(fx.write("""
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="org.smimegw.gateway.container.FailingMailet"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>
                    </processor>
                  </processors>
                </mailetcontainer>
                """));
        SpoolEntry entry = store(Map.of(), "bob@example.org", "carol@example.com");
        runner(new PipelineConfig(null, 1, 5, 30), Clock.systemUTC()).start();
        await("INCOMING empty", () -> fx.spool.list(SpoolArea.INCOMING).isEmpty() && runner.pendingCount() == 0);
        assertThat(fx.spool.list(SpoolArea.ERROR)).singleElement().satisfies(kept -> {
            assertThat(kept.id()).isNotEqualTo(entry.id());
            assertThat(kept.envelope().recipients()).containsExactly("bob@example.org", "carol@example.com");
            assertThat(kept.envelope().sender()).isEqualTo("alice@example.com");
            assertThat(kept.envelope().attributes()).containsEntry(PipelineAttributes.STATE, "error");
            assertThat(kept.envelope().attributes().get(PipelineAttributes.LAST_ERROR))
                    .contains("deliberate failure");
            assertThat(java.nio.file.Files.readString(kept.contentFile())).contains("Subject: t");
        });
        assertThat(fx.metrics.getGauges().get(FileSpool.OPEN_MESSAGES_GAUGE).getValue()).isEqualTo(0L);
    }

    @Test
    void failureInsideTheErrorProcessorIsRetriedNotDropped() throws Exception {
        container = fx.load("""
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="org.smimegw.gateway.container.FailingMailet"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="org.smimegw.gateway.container.FailingMailet"/>
                      <mailet match="All" class="Null"/>
                    </processor>
                  </processors>
                </mailetcontainer>
                """);
        SpoolEntry entry = store(Map.of(), "bob@example.org");
        runner(new PipelineConfig(null, 1, 2, 0), Clock.systemUTC()).start();
        await("moved to ERROR", () -> fx.spool.find(SpoolArea.ERROR, entry.id()).isPresent());
        assertThat(fx.spool.find(SpoolArea.ERROR, entry.id()).orElseThrow().envelope().attributes()
                .get(PipelineAttributes.LAST_ERROR)).contains("inside processor error");
    }

    private int failures(SpoolEntry entry) throws SpoolException {
        return fx.spool.find(SpoolArea.INCOMING, entry.id())
                .map(e -> Integer.parseInt(e.envelope().attributes().getOrDefault(PipelineAttributes.FAILURES, "0")))
                .orElse(-1);
    }

    @Test
    void mailSentByTheContextIsReinjectedIntoIncomingAndRunInTheGivenState() throws Exception {
        AtomicReference<PipelineRunner> ref = new AtomicReference<>();
        GatewayMailetContext context = new GatewayMailetContext(Set.of(Domain.of("example.com")),
                new MailAddress("postmaster@example.com"), fx.spool, (m, t, b) -> { },
                e -> ref.get().accept(e), Clock.systemUTC());
        MailetContainerLoader loader = new MailetContainerLoader(context,
                ServiceRegistry.empty().with(Recorder.class, fx.recorder), new MetricRegistry());
        container = loader.load(fx.write(MailetContainerLoaderTest.base(rec("root") + toTransport()).replace(
                "<processor state=\"transport\"><mailet match=\"All\" class=\"Null\"/></processor>",
                "<processor state=\"transport\"><mailet match=\"All\" class=\"" + REC
                        + "\"><tag>transport</tag></mailet><mailet match=\"All\" class=\"Null\"/></processor>")));
        ref.set(runner(new PipelineConfig(null, 1, 5, 30), Clock.systemUTC()));
        runner.start();
        context.sendMail(new MailAddress("postmaster@example.com"), List.of(new MailAddress("bob@example.org")),
                ContainerFixture.message(), "transport");
        await("re-injected mail processed", () -> fx.recorder.byTag("transport").size() == 1
                && fx.spool.list(SpoolArea.INCOMING).isEmpty());
        assertThat(fx.recorder.byTag("root")).isEmpty();
        assertThat(fx.recorder.recipientsAt("transport")).containsExactly("bob@example.org");
    }

    @Test
    void eachMailUsesTheContainerCurrentlySupplied() throws Exception {
        MailetContainer first = load(rec("first") + toTransport());
        MailetContainer second = load(rec("second") + toTransport());
        AtomicReference<MailetContainer> current = new AtomicReference<>(first);
        runner = new PipelineRunner(new PipelineConfig(null, 1, 5, 30), fx.spool, current::get, fx.metrics,
                Clock.systemUTC(), dir.resolve("scratch"));
        runner.start();
        runner.accept(store(Map.of(), "bob@example.org"));
        await("first", () -> fx.recorder.byTag("first").size() == 1);
        current.set(second);
        runner.accept(store(Map.of(), "bob@example.org"));
        await("second", () -> fx.recorder.byTag("second").size() == 1);
        assertThat(fx.recorder.byTag("first")).hasSize(1);
        first.destroy();
    }

    private static String rec(String tag) {
        return "<mailet match=\"All\" class=\"" + REC + "\"><tag>" + tag + "</tag></mailet>";
    }

    private static String toTransport() {
        return "<mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>";
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
