package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small results stay in memory, larger ones spill into a temporary file; both read back byte for byte. */
class MessageFilesTest {

    private static byte[] message(int bodySize) {
        StringBuilder sb = new StringBuilder("From: alice@example.com\r\nTo: bob@partner.example\r\n"
                + "Subject: size " + bodySize + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n");
        for (int i = 0; sb.length() < bodySize; i++) {
            sb.append("line ").append(i).append(" of the body\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] written(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private static long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void smallMessageStaysInMemoryAndReadsBack(@TempDir Path dir) throws Exception {
        MessageFiles files = new MessageFiles(dir.resolve("tmp"), 64 * 1024);
        byte[] bytes = message(10_000);
        MimeMessage m = files.message(out -> out.write(bytes));
        assertThat(written(m)).isEqualTo(bytes);
        assertThat(m.getSubject()).isEqualTo("size 10000");
        // no file was ever needed: the directory was not even created
        assertThat(dir.resolve("tmp")).doesNotExist();
    }

    @Test
    void largeMessageSpillsIntoAFileThatIsUnlinkedAtOnce(@TempDir Path dir) throws Exception {
        MessageFiles files = new MessageFiles(dir, 64 * 1024);
        byte[] bytes = message(300_000);
        // written byte by byte and in chunks across the threshold
        MimeMessage m = files.message(out -> {
            out.write(bytes, 0, 1000);
            for (int i = 1000; i < 70_000; i++) {
                out.write(bytes[i]);
            }
            out.write(bytes, 70_000, bytes.length - 70_000);
        });
        assertThat(written(m)).isEqualTo(bytes);
        assertThat(m.getContent().toString()).hasSizeGreaterThan(290_000);
        assertThat(filesIn(dir)).as("the spill file is unlinked while open").isZero();
    }

    @Test
    void exactlyTheThresholdStaysInMemoryOneMoreByteSpills(@TempDir Path dir) throws Exception {
        byte[] bytes = message(5_000);
        MessageFiles exact = new MessageFiles(dir.resolve("exact"), bytes.length);
        assertThat(written(exact.message(out -> out.write(bytes)))).isEqualTo(bytes);
        assertThat(dir.resolve("exact")).doesNotExist();

        MessageFiles smaller = new MessageFiles(dir.resolve("smaller"), bytes.length - 1);
        assertThat(written(smaller.message(out -> out.write(bytes)))).isEqualTo(bytes);
        assertThat(dir.resolve("smaller")).as("spilled: directory created").exists();
    }

    @Test
    void thresholdZeroAlwaysUsesAFile(@TempDir Path dir) throws Exception {
        MessageFiles files = new MessageFiles(dir.resolve("zero"), 0);
        byte[] entity = "Content-Type: text/plain\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        MimeBodyPart part = files.part(out -> out.write(entity));
        assertThat(part.getContent()).isEqualTo("hello\r\n");
        assertThat(dir.resolve("zero")).exists();
        assertThat(filesIn(dir.resolve("zero"))).isZero();
    }

    @Test
    void aFailingWriterLeavesNoFileBehind(@TempDir Path dir) {
        MessageFiles files = new MessageFiles(dir, 1024);
        assertThatThrownBy(() -> files.message(out -> {
            out.write(new byte[4096]);
            throw new IOException("producer failed");
        })).isInstanceOf(IOException.class).hasMessage("producer failed");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void subStreamsOfAFileBackedPartOutliveTheOpeningStream(@TempDir Path dir) throws Exception {
        MessageFiles files = new MessageFiles(dir, 0);
        byte[] bytes = message(200_000);
        MimeMessage m = files.message(out -> out.write(bytes));
        System.gc();
        try (InputStream raw = m.getRawInputStream()) {
            assertThat(raw.readAllBytes()).hasSize(bytes.length - new String(bytes, StandardCharsets.US_ASCII)
                    .indexOf("\r\n\r\n") - 4);
        }
    }

    @Test
    void negativeThresholdIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> new MessageFiles(dir, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
