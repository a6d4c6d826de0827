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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real full disk (a tiny tmpfs): the content write and the envelope write fail cleanly, nothing half-written. */
class FileSpoolFullDiskTest {
    private static final String RAW = "From: a@example.org\r\nTo: b@example.com\r\nSubject: full\r\n\r\nbody\r\n";

    @TempDir
    Path dir;

    private static Envelope envelope() {
        return new Envelope("a@example.org", Map.of(), List.of("b@example.com"), "192.0.2.7", "client.example", null,
                Instant.parse("2026-11-28T09:00:00Z"), Map.of("padding", "x".repeat(2000)));
    }

    @Test
    void contentLargerThanTheFreeSpaceIsASpoolExceptionAndLeavesNothing() throws Exception {
        try (TinyTmpfs fs = TinyTmpfs.mount(dir.resolve("mnt"), 256)) {
            FileSpool spool = new FileSpool(fs.path().resolve("spool"), Clock.systemUTC(), new MetricRegistry());
            assertThatThrownBy(() -> spool.store(SpoolArea.INCOMING, envelope(), (id, out) -> {
                byte[] line = "0123456789".repeat(10).concat("\r\n").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 10_000; i++) { // ~1 MB into 256 KiB
                    out.write(line);
                }
            })).isInstanceOf(SpoolException.class).hasMessageContaining("No space left");
            assertNothingLeft(fs.path().resolve("spool"), spool);
            // space is back: the spool works again
            SpoolEntry ok = spool.store(SpoolArea.INCOMING, envelope(),
                    new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII)));
            assertThat(Files.readString(ok.contentFile())).isEqualTo(RAW);
        }
    }

    @Test
    void envelopeThatNoLongerFitsIsASpoolExceptionAndLeavesNothing() throws Exception {
        try (TinyTmpfs fs = TinyTmpfs.mount(dir.resolve("mnt"), 256)) {
            FileSpool spool = new FileSpool(fs.path().resolve("spool"), Clock.systemUTC(), new MetricRegistry());
            assertThatThrownBy(() -> spool.store(SpoolArea.INCOMING, envelope(), (id, out) -> {
                out.write(RAW.getBytes(StandardCharsets.US_ASCII));
                out.flush(); // the content is on the disk...
                fs.fill(); // ...and then the disk fills up before the envelope is written
            })).isInstanceOf(SpoolException.class).hasMessageContaining("No space left");
            assertNothingLeft(fs.path().resolve("spool"), spool);
            Files.delete(fs.path().resolve("filler"));
            assertThat(spool.store(SpoolArea.INCOMING, envelope(),
                    new ByteArrayInputStream(RAW.getBytes(StandardCharsets.US_ASCII))).area()).isEqualTo(SpoolArea.INCOMING);
        }
    }

    private static void assertNothingLeft(Path root, FileSpool spool) throws IOException, SpoolException {
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
        for (String sub : List.of("tmp", "incoming")) {
            try (Stream<Path> files = Files.list(root.resolve(sub))) {
                assertThat(files).as(sub + "/").isEmpty();
            }
        }
    }

}
