package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: {@link DotTerminatedDataStream} against a byte-at-a-time reading of RFC 5321 section 4.5.2, with the
 * client's bytes arriving in fuzzer-chosen pieces and read in fuzzer-chosen block sizes. A finding is different
 * content, bytes after the terminator consumed, an end of input that is not an {@link EOFException} (or one while
 * a terminator was there), any other exception, or more than 20 s for one input.
 * Inputs: {@code src/test/resources/org/smimegw/gateway/smtp/DotTerminatedDataStreamFuzzTestInputs/unstuff}.
 */
class DotTerminatedDataStreamFuzzTest {

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void unstuff(FuzzedDataProvider data) throws IOException {
        int piece = data.consumeInt(1, 9000);
        int block = data.consumeInt(1, 20000);
        boolean singleBytes = data.consumeBoolean();
        byte[] wire = data.consumeRemainingAsBytes();
        Expected expected = Expected.of(wire);

        BufferedInputStream session = new BufferedInputStream(new Pieces(wire, piece), 8192);
        DotTerminatedDataStream stream = new DotTerminatedDataStream(session);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try {
            if (singleBytes) {
                int b;
                while ((b = stream.read()) != -1) {
                    content.write(b);
                }
            } else {
                byte[] buf = new byte[block];
                int n;
                while ((n = stream.read(buf, 0, buf.length)) != -1) {
                    content.write(buf, 0, n);
                }
            }
        } catch (EOFException e) {
            assertThat(expected.terminated()).as("EOF although the data ended with CRLF.CRLF").isFalse();
            return;
        }
        assertThat(expected.terminated()).as("ended without CRLF.CRLF").isTrue();
        assertThat(stream.ended()).isTrue();
        assertThat(content.toByteArray()).isEqualTo(expected.content());
        assertThat(session.readAllBytes()).as("what follows the terminator stays unread").isEqualTo(expected.rest());
    }

    /** The reference: content lines up to the line ".", the leading dot of the others dropped. */
    private record Expected(boolean terminated, byte[] content, byte[] rest) {
        static Expected of(byte[] wire) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            boolean lineStart = true;
            int i = 0;
            while (i < wire.length) {
                if (lineStart && wire[i] == '.') {
                    if (i + 2 < wire.length && wire[i + 1] == '\r' && wire[i + 2] == '\n') {
                        return new Expected(true, content.toByteArray(), Arrays.copyOfRange(wire, i + 3, wire.length));
                    }
                    i++;
                    lineStart = false;
                    continue;
                }
                content.write(wire[i]);
                lineStart = wire[i] == '\n' && i > 0 && wire[i - 1] == '\r';
                i++;
            }
            return new Expected(false, content.toByteArray(), new byte[0]);
        }
    }

    /** The network: delivers at most {@code piece} bytes per read. */
    private static final class Pieces extends InputStream {
        private final byte[] bytes;
        private final int piece;
        private int pos;

        Pieces(byte[] bytes, int piece) {
            this.bytes = bytes;
            this.piece = piece;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, piece), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
