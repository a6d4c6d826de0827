package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpoolTest {
    private static final String RAW = "From: a@example.org\r\nTo: b@example.com\r\nSubject: spool test\r\n\r\nbody line\r\n";

    @TempDir
    Path root;

    private final MetricRegistry metrics = new MetricRegistry();

    private FileSpool spool() throws SpoolException {
        return new FileSpool(root, Clock.systemUTC(), metrics);
    }

    private static Envelope envelope(String... recipients) {
        return new Envelope("a@example.org", Map.of("BODY", "8BITMIME"), List.of(recipients), "192.0.2.7",
                "client.example", "alice", Instant.parse("2026-11-28T09:00:00.123Z"), Map.of("attempts", "0"));
    }

    private long gauge(String area) {
        return ((Gauge<Long>) metrics.getGauges().get("spool." + area + ".size")).getValue();
    }

    @Test
    void storeListFindUpdateMoveDelete() throws Exception {
        FileSpool spool = spool();
        SpoolEntry e = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));
        assertThat(e.contentFile()).isEqualTo(root.resolve("incoming").resolve(e.id() + ".eml"));
        assertThat(Files.readString(e.contentFile())).isEqualTo(RAW);
        assertThat(root.resolve("incoming").resolve(e.id() + ".env")).exists();
        assertThat(spool.list(SpoolArea.INCOMING)).containsExactly(e);
        assertThat(spool.find(SpoolArea.INCOMING, e.id())).contains(e);
        assertThat(spool.find(SpoolArea.OUTGOING, e.id())).isEmpty();
        assertThat(gauge("incoming")).isEqualTo(1);

        SpoolEntry updated = spool.updateEnvelope(e, e.envelope().withRecipients(List.of("c@example.com"))
                .withAttributes(Map.of("attempts", "1")));
        assertThat(spool.find(SpoolArea.INCOMING, e.id()).orElseThrow().envelope().recipients()).containsExactly("c@example.com");
        assertThat(spool.find(SpoolArea.INCOMING, e.id()).orElseThrow().envelope().attributes()).containsEntry("attempts", "1");

        SpoolEntry moved = spool.move(updated, SpoolArea.OUTGOING);
        assertThat(moved.id()).isEqualTo(e.id());
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
        assertThat(spool.list(SpoolArea.OUTGOING)).containsExactly(moved);
        assertThat(Files.readString(moved.contentFile())).isEqualTo(RAW);
        assertThat(gauge("incoming")).isZero();
        assertThat(gauge("outgoing")).isEqualTo(1);

        spool.delete(moved);
        assertThat(spool.list(SpoolArea.OUTGOING)).isEmpty();
        assertThat(gauge("outgoing")).isZero();
        try (Stream<Path> files = Files.walk(root)) {
            // only files kept for reuse are left, in tmp/
            assertThat(files.filter(Files::isRegularFile))
                    .allSatisfy(f -> assertThat(f.getParent()).isEqualTo(root.resolve("tmp")))
                    .allSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("recycled-"));
        }
        assertThatThrownBy(() -> spool.move(moved, SpoolArea.ERROR)).isInstanceOf(SpoolException.class);
    }

    @Test
    void filesOfDeletedEntriesAreReusedAndHoldExactlyTheNewMessage() throws Exception {
        FileSpool spool = spool();
        String longMessage = "Subject: long\r\n\r\n" + "x".repeat(20_000) + "\r\n";
        SpoolEntry first = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(longMessage.getBytes(StandardCharsets.US_ASCII)));
        Object firstInode = Files.readAttributes(first.contentFile(),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        spool.delete(first);

        SpoolEntry second = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));

        assertThat(Files.readString(second.contentFile())).isEqualTo(RAW);
        assertThat(spool.find(SpoolArea.INCOMING, second.id()).orElseThrow().envelope()).isEqualTo(envelope("b@example.com"));
        java.util.Set<Object> inodes = new java.util.HashSet<>();
        for (Path p : List.of(second.contentFile(), root.resolve("incoming").resolve(second.id() + ".env"))) {
            inodes.add(Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        }
        assertThat(inodes).contains(firstInode);
    }

    @Test
    void contentHardLinkedIntoAnotherAreaIsNotReusedWhenOneEntryIsDeleted() throws Exception {
        FileSpool spool = spool();
        SpoolEntry incoming = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));
        SpoolEntry outgoing;
        try (SpooledMimeMessage unchanged = (SpooledMimeMessage) spool.open(incoming)) {
            outgoing = spool.store(SpoolArea.OUTGOING, envelope("b@example.com"), unchanged);
        }
        spool.delete(incoming);
        for (int i = 0; i < 5; i++) { // new entries take whatever the deletion gave back
            spool.store(SpoolArea.INCOMING, envelope("b@example.com"), new ByteArrayInputStream(
                    ("Subject: other " + i + "\r\n\r\nother body\r\n").getBytes(StandardCharsets.US_ASCII)));
        }

        assertThat(Files.readString(outgoing.contentFile())).isEqualTo(RAW);
    }

    @Test
    void envelopeRoundTripsThroughJson() throws Exception {
        FileSpool spool = spool();
        Envelope original = new Envelope("", Map.of("RET", "HDRS", "SMTPUTF8", ""), List.of("x@example.com", "y@example.com"),
                "::1", "h", null, Instant.parse("2026-01-02T03:04:05.678901Z"), Map.of());
        SpoolEntry e = spool.store(SpoolArea.QUARANTINE, original, new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));
        assertThat(spool().find(SpoolArea.QUARANTINE, e.id()).orElseThrow().envelope()).isEqualTo(original);
        assertThat(Files.readString(root.resolve("quarantine").resolve(e.id() + ".env"))).contains("\"receivedAtEpochNanos\":1767323045678901000");
    }

    @Test
    void restartSeesEntriesOldestFirstAndCleansUpInterruptedWrites() throws Exception {
        FileSpool first = spool();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(first.store(SpoolArea.INCOMING, envelope("r" + i + "@example.com"),
                    new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII))).id());
        }
        SpoolEntry error = first.move(first.find(SpoolArea.INCOMING, ids.remove(4)).orElseThrow(), SpoolArea.ERROR);
        // what a crash can leave: files in tmp/, an envelope whose content rename never happened
        Files.writeString(root.resolve("tmp/0000000000000000000000AA.eml"), "partial");
        Files.writeString(root.resolve("tmp/0000000000000000000000AA.env"), "{}");
        Path orphanEnvelope = root.resolve("incoming/0000000000000000000000BB.env");
        Files.copy(root.resolve("incoming").resolve(ids.get(0) + ".env"), orphanEnvelope);
        assertThat(first.list(SpoolArea.INCOMING)).extracting(SpoolEntry::id).containsExactlyElementsOf(ids);

        FileSpool second = new FileSpool(root, Clock.systemUTC(), metrics);
        assertThat(second.list(SpoolArea.INCOMING)).extracting(SpoolEntry::id).containsExactlyElementsOf(ids);
        assertThat(second.list(SpoolArea.INCOMING)).extracting(en -> en.envelope().recipients().get(0))
                .containsExactly("r0@example.com", "r1@example.com", "r2@example.com", "r3@example.com");
        assertThat(second.list(SpoolArea.ERROR)).containsExactly(error);
        try (Stream<Path> leftovers = Files.list(root.resolve("tmp"))) {
            assertThat(leftovers).isEmpty();
        }
        assertThat(orphanEnvelope).doesNotExist();
        assertThat(gauge("incoming")).isEqualTo(4);
        assertThat(gauge("error")).isEqualTo(1);
    }

    @Test
    void queueIdsAreUniqueAndSortInCreationOrder() {
        QueueIdGenerator gen = new QueueIdGenerator(Clock.systemUTC());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ids.add(gen.next());
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isSorted().allMatch(QueueIdGenerator::isValid);
        // another generator (a restart) in the same millisecond still yields different ids
        Clock fixed = Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), java.time.ZoneOffset.UTC);
        Set<String> restarted = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            restarted.add(new QueueIdGenerator(fixed).next());
        }
        assertThat(restarted).hasSizeGreaterThan(45);
    }

    @Test
    void failingContentWriterLeavesNothingBehind() throws Exception {
        FileSpool spool = spool();
        assertThatThrownBy(() -> spool.store(SpoolArea.INCOMING, envelope("b@example.com"), (id, out) -> {
            out.write("Subject: half\r\n".getBytes(StandardCharsets.US_ASCII));
            throw new IOException("client went away");
        })).isExactlyInstanceOf(IOException.class).hasMessage("client went away");
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void ioFailureOfTheSpoolIsASpoolException() throws Exception {
        FileSpool spool = spool();
        Files.delete(root.resolve("tmp"));
        Files.writeString(root.resolve("tmp"), "a file where the tmp directory should be");
        assertThatThrownBy(() -> spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(SpoolException.class).hasMessageContaining("tmp");
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void openReturnsAFileBackedMimeMessageAndStoreAcceptsMimeMessages() throws Exception {
        FileSpool spool = spool();
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom("a@example.org");
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, "b@example.com");
        m.setSubject("from a MimeMessage");
        m.setText("hello\r\n");
        m.saveChanges();
        SpoolEntry e = spool.store(SpoolArea.OUTGOING, envelope("b@example.com"), m);
        MimeMessage back = spool.open(e);
        assertThat(back.getSubject()).isEqualTo("from a MimeMessage");
        assertThat(((String) back.getContent()).strip()).isEqualTo("hello");
        assertThat(back.getInputStream()).isInstanceOf(org.smimegw.mailets.mime.LeanSharedFileInputStream.class);
        assertThat(Files.readString(e.contentFile())).contains("Subject: from a MimeMessage\r\n");
    }

    @Test
    void anUnchangedSpooledMessageIsStoredByLinkingItsFileAndSurvivesTheSourcesDeletion() throws Exception {
        FileSpool spool = spool();
        SpoolEntry incoming = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));
        SpoolEntry outgoing;
        try (SpooledMimeMessage m = (SpooledMimeMessage) spool.open(incoming)) {
            assertThat(m.getSubject()).isEqualTo("spool test"); // reading changes nothing
            outgoing = spool.store(SpoolArea.OUTGOING, envelope("c@example.com"), m);
        }
        assertThat(Files.isSameFile(outgoing.contentFile(), incoming.contentFile())).isTrue();
        spool.delete(incoming);
        assertThat(Files.readString(outgoing.contentFile(), StandardCharsets.US_ASCII)).isEqualTo(RAW);
        assertThat(spool.find(SpoolArea.OUTGOING, outgoing.id()).orElseThrow().envelope().recipients())
                .containsExactly("c@example.com");
        assertThat(gauge("outgoing")).isEqualTo(1);
        assertThat(gauge("incoming")).isZero();
    }

    @Test
    void aChangedSpooledMessageIsWrittenAsANewFile() throws Exception {
        FileSpool spool = spool();
        SpoolEntry incoming = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));
        SpoolEntry outgoing;
        try (SpooledMimeMessage m = (SpooledMimeMessage) spool.open(incoming)) {
            m.setHeader("X-Changed", "yes");
            outgoing = spool.store(SpoolArea.OUTGOING, envelope("b@example.com"), m);
        }
        assertThat(Files.isSameFile(outgoing.contentFile(), incoming.contentFile())).isFalse();
        assertThat(Files.readString(outgoing.contentFile())).contains("X-Changed: yes\r\n");
        assertThat(Files.readString(incoming.contentFile())).doesNotContain("X-Changed");
    }

    @Test
    void aChangedSpooledMessageKeepsItsMessageIdAndOneWithoutGetsOne() throws Exception {
        FileSpool spool = spool();
        String withId = "Message-ID: <original.1@client.example>\r\n" + RAW;
        SpoolEntry e = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(withId.getBytes(StandardCharsets.US_ASCII)));
        try (SpooledMimeMessage m = (SpooledMimeMessage) spool.open(e)) {
            m.setSubject("changed by a mailet");
            m.saveChanges();
            assertThat(m.getMessageID()).isEqualTo("<original.1@client.example>");
            assertThat(m.getSubject()).isEqualTo("changed by a mailet");
        }
        SpoolEntry without = spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));
        try (SpooledMimeMessage m = (SpooledMimeMessage) spool.open(without)) {
            m.setSubject("changed");
            m.saveChanges();
            assertThat(m.getMessageID()).isNotBlank();
        }
    }

    @Test
    void concurrentStoresAllLand() throws Exception {
        FileSpool spool = spool();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SpoolEntry>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                futures.add(pool.submit(() -> spool.store(SpoolArea.INCOMING, envelope("b@example.com"),
                        new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)))));
            }
            Set<String> ids = new HashSet<>();
            for (Future<SpoolEntry> f : futures) {
                ids.add(f.get(60, TimeUnit.SECONDS).id());
            }
            assertThat(ids).hasSize(64);
            assertThat(spool.list(SpoolArea.INCOMING)).hasSize(64);
            assertThat(gauge("incoming")).isEqualTo(64);
        } finally {
            pool.shutdownNow();
        }
    }
}
