package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DotTerminatedDataStreamTest {
    private static final String NEXT = "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n";

    // ---- explicit cases, each arriving in TCP segments of every length and read in several sizes ----

    @Test
    void contentEndsWithTheCrlfBeforeTheDotAndTheNextCommandStaysInTheInput() throws IOException {
        assertEveryWay("Subject: x\r\n\r\nbody\r\n.\r\n", "Subject: x\r\n\r\nbody\r\n");
    }

    @Test
    void emptyBody() throws IOException {
        assertEveryWay(".\r\n", "");
    }

    @Test
    void stuffedDotsAreRemovedOnEveryLineIncludingTheFirst() throws IOException {
        assertEveryWay("..first\r\nmid\r\n..\r\n...three\r\n.x\r\n.\r\n", ".first\r\nmid\r\n.\r\n..three\r\nx\r\n");
    }

    @Test
    void aDotInsideALineIsContent() throws IOException {
        assertEveryWay("a.b\r\nc .\r\n x.\r\n.\r\n", "a.b\r\nc .\r\n x.\r\n");
    }

    @Test
    void bareLfDoesNotStartALineSoItsDotIsContentAndNoTerminator() throws IOException {
        assertEveryWay("a\n.\r\nb\n.\n..\r\n.\r\n", "a\n.\r\nb\n.\n..\r\n");
    }

    @Test
    void bareCrIsContent() throws IOException {
        assertEveryWay("a\r.\r\nb\r\r\n.\r\r\n.\r\n", "a\r.\r\nb\r\r\n\r\r\n");
    }

    @Test
    void dotCrFollowedByAnythingButLfIsContentWithoutTheDot() throws IOException {
        assertEveryWay(".\rx\r\n.\r.\r\n.\r\r\n.\r\n", "\rx\r\n\r.\r\n\r\r\n");
    }

    @Test
    void eightBitBytesPassUnchanged() throws IOException {
        byte[] body = new byte[256 * 3];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        // make sure the raw body holds no accidental line starting with a dot or a terminator
        String content = "8bit: " + new String(body, StandardCharsets.ISO_8859_1).replace("\r\n.", "\r\n..")
                + "\r\n\u00ff\u00fe\u0080\r\n";
        String expected = "8bit: " + new String(body, StandardCharsets.ISO_8859_1) + "\r\n\u00ff\u00fe\u0080\r\n";
        assertEveryWay(content + ".\r\n", expected);
    }

    @Test
    void singleByteReadsSeeTheSameContent() throws IOException {
        byte[] raw = latin1("..a\r\n\u00ff.\r\n.\r\n" + NEXT);
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(raw));
        DotTerminatedDataStream data = new DotTerminatedDataStream(in);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int c;
        while ((c = data.read()) != -1) {
            got.write(c);
        }
        assertThat(got.toString(StandardCharsets.ISO_8859_1)).isEqualTo(".a\r\n\u00ff.\r\n");
        assertThat(data.ended()).isTrue();
        assertThat(data.read()).isEqualTo(-1);
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(NEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "abc\r\n", "abc\r\n.", "abc\r\n.\r", "abc\r\n..\r\n", "abc\n.\r\n", ".", ".\r"})
    void connectionEndingBeforeTheTerminatorIsAnEofException(String raw) {
        for (int split = 0; split <= raw.length(); split++) {
            DotTerminatedDataStream data = new DotTerminatedDataStream(
                    new BufferedInputStream(new SegmentedInputStream(latin1(raw), new int[] {split}), 4));
            assertThatThrownBy(() -> data.transferTo(ByteArrayOutputStream.nullOutputStream()))
                    .as("split at %d", split).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void anInputWithoutMarkIsRefused() {
        assertThatThrownBy(() -> new DotTerminatedDataStream(InputStream.nullInputStream()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeLeavesTheSessionInputOpen() throws IOException {
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(latin1("x\r\n.\r\nNOOP\r\n")));
        DotTerminatedDataStream data = new DotTerminatedDataStream(in);
        data.close();
        data.skipToEnd();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("NOOP\r\n");
    }

    // ---- random contents, random TCP segments, random read sizes, against the reference ----

    @Test
    void randomContentInRandomSegmentsMatchesTheReferenceUnstuffing() throws IOException {
        Random random = new Random(20261128L);
        byte[] alphabet = latin1("\r\n.\r\n.ab\u00ff\r.");
        for (int round = 0; round < 3000; round++) {
            long seed = random.nextLong();
            Random r = new Random(seed);
            byte[] body = new byte[r.nextInt(r.nextBoolean() ? 40 : 3000)];
            for (int i = 0; i < body.length; i++) {
                body[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
            }
            byte[] raw = concat(body, latin1("\r\n.\r\n" + NEXT));
            assertSameAsReference(raw, r, "seed " + seed);
        }
    }

    @Test
    void fiftyMegabytesStreamThroughWithTheirDigestIntact() throws Exception {
        long lines = 50L * 1024 * 1024 / 100;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        InputStream raw = new GeneratedMessage(lines, expected);
        BufferedInputStream in = new BufferedInputStream(raw, 8192);
        DotTerminatedDataStream data = new DotTerminatedDataStream(in);
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = data.read(buf, 0, buf.length)) != -1) {
            got.update(buf, 0, n);
            total += n;
        }
        assertThat(total).isEqualTo(lines * 100);
        assertThat(got.digest()).isEqualTo(expected.digest());
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("QUIT\r\n");
    }

    // ---- helpers ----

    /** Arriving in segments of every length from 1 byte to all at once, read 1 and 7 bytes at a time, and whole. */
    private static void assertEveryWay(String rawContent, String expectedContent) throws IOException {
        byte[] raw = latin1(rawContent + NEXT);
        assertThat(reference(raw).content()).as("reference").isEqualTo(latin1(expectedContent));
        for (int segment = 1; segment <= raw.length; segment++) {
            for (int readSize = 1; readSize <= 7; readSize += 6) {
                Result got = viaStream(raw, new int[] {segment}, 8192, new int[] {readSize});
                assertThat(new String(got.content(), StandardCharsets.ISO_8859_1))
                        .as("segments of %d, reads of %d", segment, readSize).isEqualTo(expectedContent);
                assertThat(new String(got.rest(), StandardCharsets.ISO_8859_1)).isEqualTo(NEXT);
            }
        }
        Result whole = viaStream(raw, new int[] {raw.length}, 8192, new int[] {10_000});
        assertThat(new String(whole.content(), StandardCharsets.ISO_8859_1)).isEqualTo(expectedContent);
        assertThat(new String(whole.rest(), StandardCharsets.ISO_8859_1)).isEqualTo(NEXT);
    }

    private static void assertSameAsReference(byte[] raw, Random r, String what) throws IOException {
        Result expected = reference(raw);
        int[] segments = new int[1 + r.nextInt(20)];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = 1 + r.nextInt(r.nextBoolean() ? 5 : 2000);
        }
        int[] reads = new int[1 + r.nextInt(10)];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = 1 + r.nextInt(r.nextBoolean() ? 4 : 10000);
        }
        int bufferSize = new int[] {1, 3, 16, 8192}[r.nextInt(4)];
        Result got = viaStream(raw, segments, bufferSize, reads);
        assertThat(got.content()).as(what).isEqualTo(expected.content());
        assertThat(got.rest()).as(what).isEqualTo(expected.rest());
    }

    /**
     * Reads {@code raw} as the session would: a socket delivering {@code segments} (cycled) under a BufferedInputStream
     * of {@code bufferSize}, the consumer asking for {@code reads} bytes at a time (cycled).
     */
    private static Result viaStream(byte[] raw, int[] segments, int bufferSize, int[] reads) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new SegmentedInputStream(raw, segments), bufferSize);
        DotTerminatedDataStream data = new DotTerminatedDataStream(in);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] buf = new byte[10_010];
        int i = 0;
        while (true) {
            int len = reads[i++ % reads.length];
            int off = i % 5;
            int n = data.read(buf, off, len);
            if (n == -1) {
                break;
            }
            if (n < 1 || n > len) {
                throw new AssertionError("read(" + len + ") returned " + n);
            }
            content.write(buf, off, n);
        }
        assertThat(data.ended()).isTrue();
        return new Result(content.toByteArray(), in.readAllBytes());
    }

    /** The straightforward way: find CRLF.CRLF (the data starts at a line start), then drop a dot after each CRLF. */
    private static Result reference(byte[] raw) {
        byte[] t = concat(latin1("\r\n"), raw);
        int end = -1;
        for (int i = 0; i + 5 <= t.length; i++) {
            if (t[i] == '\r' && t[i + 1] == '\n' && t[i + 2] == '.' && t[i + 3] == '\r' && t[i + 4] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new IllegalArgumentException("no terminator");
        }
        byte[] stuffed = Arrays.copyOfRange(raw, 0, end);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int i = 0; i < stuffed.length; i++) {
            boolean lineStart = i == 0 || (i >= 2 && stuffed[i - 2] == '\r' && stuffed[i - 1] == '\n');
            if (!(lineStart && stuffed[i] == '.')) {
                content.write(stuffed[i]);
            }
        }
        return new Result(content.toByteArray(), Arrays.copyOfRange(raw, end + 3, raw.length));
    }

    private record Result(byte[] content, byte[] rest) {
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A socket stand-in: each read returns at most the next segment length; nothing is ever "available". */
    private static final class SegmentedInputStream extends InputStream {
        private final byte[] data;
        private final int[] segments;
        private int pos;
        private int segment;

        SegmentedInputStream(byte[] data, int[] segments) {
            this.data = data;
            this.segments = segments;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int limit = Math.max(1, segments[segment++ % segments.length]);
            int n = Math.min(Math.min(len, limit), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    /**
     * About 50 MB of 100-byte lines generated on the fly (a fifth start with a stuffed dot), then the terminator and
     * "QUIT"; {@code digest} sees the content as it must come out.
     */
    private static final class GeneratedMessage extends InputStream {
        private final long lines;
        private final MessageDigest digest;
        private long line;
        private byte[] current = new byte[0];
        private int pos;
        private boolean finished;

        GeneratedMessage(long lines, MessageDigest digest) {
            this.lines = lines;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == current.length && !next()) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean next() {
            if (finished) {
                return false;
            }
            pos = 0;
            if (line == lines) {
                current = ".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
                finished = true;
                return true;
            }
            byte[] content = new byte[100];
            for (int i = 0; i < 98; i++) {
                content[i] = (byte) ('!' + (line * 31 + i * 7) % 90);
            }
            content[98] = '\r';
            content[99] = '\n';
            if (line % 5 == 0) {
                content[0] = '.';
            }
            digest.update(content);
            current = content[0] == '.' ? concat(new byte[] {'.'}, content) : content;
            line++;
            return true;
        }
    }
}
