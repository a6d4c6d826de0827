package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: {@link EnvelopeCodec#read} of any bytes as an {@code .env} file. Bad input is an
 * {@link IOException}; a finding is any other exception, any Error, the stream and the array reader disagreeing,
 * an envelope that was read but cannot be written back or reads back different (the spool rewrites envelopes), or
 * more than 20 s for one input.
 * Inputs: {@code src/test/resources/org/smimegw/gateway/spool/EnvelopeCodecFuzzTestInputs/read}.
 */
class EnvelopeCodecFuzzTest {
    private final EnvelopeCodec codec = new EnvelopeCodec();

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void read(byte[] json) throws IOException {
        Envelope fromArray;
        try {
            fromArray = codec.read(json, 0, json.length);
        } catch (IOException e) {
            assertThatStreamReaderFails(json);
            return;
        }
        assertThat(codec.read(new ByteArrayInputStream(json))).isEqualTo(fromArray);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        codec.write(fromArray, written);
        assertThat(codec.read(written.toByteArray(), 0, written.size())).as("written back and read again")
                .isEqualTo(fromArray);
    }

    private void assertThatStreamReaderFails(byte[] json) {
        try {
            Envelope e = codec.read(new ByteArrayInputStream(json));
            throw new AssertionError("the array reader refused what the stream reader read: " + e);
        } catch (IOException expected) {
            // both refuse
        }
    }
}
