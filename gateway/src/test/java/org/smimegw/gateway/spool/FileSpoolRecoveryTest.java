package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.codahale.metrics.MetricRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery that cannot be wedged and reuse of files that never shows a reader another message: an unreadable entry
 * goes to the corrupt area and the scan goes on; a reader holding an entry's content, or reading its envelope from
 * another process, never sees the bytes of the message that reuses the file.
 */
class FileSpoolRecoveryTest {
    @TempDir
    Path root;

    private final MetricRegistry metrics = new MetricRegistry();

    private static Envelope envelope(String sender) {
        return new Envelope(sender, Map.of(), List.of("b@example.com"), "192.0.2.7", "client.example", null,
                Instant.parse("2026-11-28T09:00:00Z"), Map.of());
    }

    private static SpoolEntry store(Spool spool, String sender, String body) throws Exception {
        String raw = "Received: from client.example\r\nFrom: " + sender + "\r\nSubject: " + body + "\r\n\r\n" + body
                + "\r\n";
        return spool.store(SpoolArea.INCOMING, envelope(sender), new ByteArrayInputStream(
                raw.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anEnvelopeThatDoesNotParseGoesToCorruptAndTheScanGoesOn() throws Exception {
        FileSpool spool = new FileSpool(root, Clock.systemUTC(), metrics);
        SpoolEntry first = store(spool, "a1@example.org", "first");
        SpoolEntry broken = store(spool, "a2@example.org", "broken");
        SpoolEntry third = store(spool, "a3@example.org", "third");
        Path envelope = root.resolve("incoming").resolve(broken.id() + ".env");
        Files.write(envelope, java.util.Arrays.copyOf(Files.readAllBytes(envelope), 20)); // truncated

        assertThat(spool.list(SpoolArea.INCOMING)).extracting(SpoolEntry::id).containsExactly(first.id(), third.id());
        assertThat(root.resolve("corrupt").resolve(broken.id() + ".eml")).exists();
        assertThat(root.resolve("corrupt").resolve(broken.id() + ".env")).exists();
        assertThat(spool.corruptReason(broken.id()).orElseThrow()).startsWith("moved from incoming: envelope does not "
                + "parse");
        assertThat(spool.ids(SpoolArea.CORRUPT)).containsExactly(broken.id());
        assertThat(metrics.counter(FileSpool.CORRUPT_COUNTER).getCount()).isEqualTo(1);
        assertThat(metrics.getGauges().get("spool.corrupt.size").getValue()).isEqualTo(1L);
        // the next scan is clean
        assertThat(spool.list(SpoolArea.INCOMING)).hasSize(2);
        assertThat(metrics.counter(FileSpool.CORRUPT_COUNTER).getCount()).isEqualTo(1);
    }

    @Test
    void contentWithoutAnEnvelopeGoesToCorruptWhenTheGatewayStarts() throws Exception {
        FileSpool before = new FileSpool(root, Clock.systemUTC(), metrics);
        SpoolEntry orphan = store(before, "a@example.org", "orphan");
        SpoolEntry fine = store(before, "b@example.org", "fine");
        Files.delete(root.resolve("incoming").resolve(orphan.id() + ".env"));

        FileSpool after = new FileSpool(root, Clock.systemUTC(), new MetricRegistry());
        assertThat(after.list(SpoolArea.INCOMING)).extracting(SpoolEntry::id).containsExactly(fine.id());
        assertThat(after.corruptReason(orphan.id())).hasValue("moved from incoming: content without envelope");
        assertThat(Files.readString(root.resolve("corrupt").resolve(orphan.id() + ".eml"))).contains("orphan");
    }

    @Test
    void anAttachedProcessReportsAnUnreadableEntryButLeavesItToTheGateway() throws Exception {
        FileSpool gateway = new FileSpool(root, Clock.systemUTC(), metrics);
        SpoolEntry broken = store(gateway, "a@example.org", "broken");
        Files.writeString(root.resolve("incoming").resolve(broken.id() + ".env"), "{\"sender\":");

        FileSpool attached = FileSpool.attach(root, Clock.systemUTC(), new MetricRegistry());
        assertThat(attached.list(SpoolArea.INCOMING)).isEmpty();
        assertThat(root.resolve("incoming").resolve(broken.id() + ".eml")).exists();
        assertThat(gateway.list(SpoolArea.INCOMING)).isEmpty();
        assertThat(root.resolve("corrupt").resolve(broken.id() + ".eml")).exists();
    }

    @Test
    void aReaderOfADeletedEntryNeverSeesTheMessageThatReusesItsFiles() throws Exception {
        FileSpool spool = new FileSpool(root, Clock.systemUTC(), metrics);
        SpoolEntry mine = store(spool, "reader@example.org", "the reader's message " + "x".repeat(5000));
        String stored = Files.readString(mine.contentFile(), StandardCharsets.US_ASCII);
        MimeMessage open = spool.open(mine);
        spool.delete(mine); // e.g. another worker finished it, or an admin deleted it
        List<SpoolEntry> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // new entries take whatever the deletion gave back
            others.add(store(spool, "other" + i + "@example.org", "another message " + i));
        }

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        open.writeTo(read);
        assertThat(read.toString(StandardCharsets.US_ASCII)).isEqualTo(stored);
        ((AutoCloseable) open).close();
        for (SpoolEntry other : others) {
            assertThat(Files.readString(other.contentFile())).doesNotContain("reader");
            assertThat(spool.find(SpoolArea.INCOMING, other.id()).orElseThrow().envelope().sender())
                    .startsWith("other");
        }
        // once nobody reads it any more, a deleted entry's file is reused again
        SpoolEntry later = store(spool, "later@example.org", "later");
        spool.delete(later);
        assertThat(spool.recycledFiles()[0]).isPositive();
    }

    /**
     * The rescan of one process (or a command in another) reads envelopes while workers delete entries and store new
     * ones into their files: never an error, never another entry's envelope.
     */
    @Test
    void envelopesReadWhileEntriesAreDeletedAndTheirFilesReusedAreAlwaysTheirOwn() throws Exception {
        FileSpool gateway = new FileSpool(root, Clock.systemUTC(), metrics);
        FileSpool attached = FileSpool.attach(root, Clock.systemUTC(), new MetricRegistry());
        Map<String, String> senderOf = new ConcurrentHashMap<>();
        List<Throwable> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                workers.add(threads.submit(() -> {
                    for (int i = 0; i < 1500; i++) {
                        String sender = "w" + worker + "-" + i + "@example.org";
                        SpoolEntry e = store(gateway, sender, "message " + i);
                        senderOf.put(e.id(), sender);
                        gateway.delete(e);
                    }
                    return null;
                }));
            }
            for (FileSpool reader : List.of(gateway, attached)) {
                threads.submit(() -> {
                    while (!done.get()) {
                        try {
                            for (String id : reader.ids(SpoolArea.INCOMING)) {
                                Optional<SpoolEntry> found = reader.find(SpoolArea.INCOMING, id);
                                String stored = senderOf.get(id); // null until the writer has noted the new id
                                if (found.isPresent() && stored != null
                                        && !found.get().envelope().sender().equals(stored)) {
                                    problems.add(new AssertionError(id + " read as " + found.get().envelope().sender()));
                                }
                            }
                        } catch (Exception | AssertionError e) {
                            problems.add(e);
                        }
                    }
                    return null;
                });
            }
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
        } finally {
            done.set(true);
            threads.shutdown();
            assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(problems).isEmpty();
        assertThat(root.resolve("corrupt").toFile().list()).isEmpty();
    }

    @Test
    void reusedFilesAreBoundedInBytesAndGivenBackWhenFreeSpaceRunsShort() throws Exception {
        try (TinyTmpfs fs = TinyTmpfs.mount(root.resolve("mnt"), 4096)) {
            // reserve 1 MiB, at most 512 KiB of old files kept for reuse
            FileSpool spool = new FileSpool(fs.path().resolve("spool"), Clock.systemUTC(), metrics,
                    new SpoolSettings(1024 * 1024, 512 * 1024));
            List<SpoolEntry> entries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                entries.add(store(spool, "s" + i + "@example.org", "y".repeat(100 * 1024)));
            }
            for (SpoolEntry e : entries) {
                spool.delete(e);
            }
            long[] held = spool.recycledFiles();
            assertThat(held[0]).isPositive();
            assertThat(held[1]).isLessThanOrEqualTo(512 * 1024).isGreaterThan(300 * 1024);
            assertThat(spool.hasRoomFor(10_000)).isTrue();

            // something else fills the disk to below the reserve: the old files go first, then mail is refused
            fs.fillLeaving(1024 * 1024 - held[1] + 200 * 1024);
            assertThat(spool.hasRoomFor(10_000)).isTrue(); // room again once the reused files were given back
            assertThat(spool.recycledFiles()[1]).isZero();
            try (var files = Files.list(fs.path().resolve("spool/tmp"))) {
                assertThat(files).isEmpty();
            }
            fs.fillLeaving(512 * 1024);
            assertThat(spool.hasRoomFor(10_000)).isFalse();
            // deletions while space is short unlink (nothing is kept back)
            SpoolEntry small = store(spool, "x@example.org", "small");
            spool.delete(small);
            assertThat(spool.recycledFiles()[0]).isZero();
        }
    }
}
