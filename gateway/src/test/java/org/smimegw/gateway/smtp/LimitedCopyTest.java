package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LimitedCopyTest {
    @Test
    void aLineOfExactlyTheLimitIncludingCrlfPassesOneMoreOctetDoesNot() throws IOException {
        byte[] ok = ("y".repeat(98) + "\r\n" + "z".repeat(98) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(LimitedCopy.copy(new ByteArrayInputStream(ok), out, 1000, 100, Long.MAX_VALUE)).isEqualTo(ok.length);
        assertThat(out.toByteArray()).isEqualTo(ok);
        byte[] tooLong = ("y".repeat(98) + "\r\n" + "z".repeat(99) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LimitedCopy.copy(new ByteArrayInputStream(tooLong), new ByteArrayOutputStream(), 1000, 100, Long.MAX_VALUE))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.reason()).isEqualTo(SmtpReason.LINE_TOO_LONG));
    }

    @Test
    void moreThanMaxBytesIsMessageTooBig() {
        byte[] data = "0123456789\r\n".repeat(10).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LimitedCopy.copy(new ByteArrayInputStream(data), new ByteArrayOutputStream(), 119, 1000, Long.MAX_VALUE))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.reason()).isEqualTo(SmtpReason.MESSAGE_TOO_BIG));
    }

    @Test
    void aHeaderSectionLargerThanTheLimitIsHeaderTooBigWhateverTheBlocks() throws IOException {
        String header = "Subject: x\r\n" + "X-Filler: 0123456789\r\n".repeat(20); // 12 + 20 * 22 = 452 bytes
        byte[] data = (header + "\r\n" + "body line that is long enough\r\n".repeat(50)).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LimitedCopy.copy(new ByteArrayInputStream(data), new ByteArrayOutputStream(), 100_000,
                1000, 451)).isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.reason()).isEqualTo(SmtpReason.HEADER_TOO_BIG));
        // at the limit, and a body far larger than it: fine, in any block size (the empty line may straddle blocks)
        for (int block = 1; block <= 7; block++) {
            LimitedCopy.HeaderSection section = new LimitedCopy.HeaderSection(452 + 2);
            for (int pos = 0; pos < data.length; pos += block) {
                byte[] b = java.util.Arrays.copyOfRange(data, pos, Math.min(data.length, pos + block));
                section.scan(b, b.length);
            }
        }
        assertThat(LimitedCopy.copy(new ByteArrayInputStream(data), new ByteArrayOutputStream(), 100_000, 1000, 454))
                .isEqualTo(data.length);
    }

    @Test
    void lineCheckOverRandomBlocksAgreesWithCountingEveryOctet() throws IOException {
        Random random = new Random(11_28L);
        for (int round = 0; round < 5000; round++) {
            int max = 1 + random.nextInt(12);
            byte[] data = new byte[random.nextInt(60)];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(max + 1) == 0 ? (byte) '\n' : (byte) ('a' + random.nextInt(3));
            }
            boolean expectedOk = referenceLinesOk(data, max);
            // the same bytes in blocks of random sizes carry the line count across blocks
            int line = 0;
            boolean ok = true;
            int pos = 0;
            while (pos < data.length && ok) {
                int n = 1 + random.nextInt(data.length - pos);
                byte[] block = java.util.Arrays.copyOfRange(data, pos, pos + n);
                try {
                    line = LimitedCopy.checkLines(block, n, line, max);
                } catch (LimitExceededException e) {
                    ok = false;
                }
                pos += n;
            }
            assertThat(ok).as("round %d, max %d, data %s", round, max, new String(data, StandardCharsets.US_ASCII))
                    .isEqualTo(expectedOk);
        }
    }

    /** The rule counted octet by octet: at most {@code max - 1} octets before each LF (and in a last line without). */
    private static boolean referenceLinesOk(byte[] data, int max) {
        int line = 0;
        for (byte b : data) {
            if (b == '\n') {
                line = 0;
            } else if (++line > max - 1) {
                return false;
            }
        }
        return true;
    }
}
