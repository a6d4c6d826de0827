package org.smimegw.certstore.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: {@link CertificateFileParser#parse} on any bytes (PEM, DER, PKCS#7, PKCS#12, SST and anything else).
 * Bad input is an {@link ImportException} (or its {@link WrongPasswordException}) with a one-line message; a
 * finding is any other exception, any Error, more than 20 s for one input (a hang) or running out of the heap.
 *
 * <p>The normal test run replays the seeds and every past finding in
 * {@code src/test/resources/org/smimegw/certstore/importer/CertificateFileParserFuzzTestInputs/parse};
 * {@code bin/fuzz} fuzzes for longer (docs/hardening-tests.md).
 */
class CertificateFileParserFuzzTest {
    /** The password of the seeds' PKCS#12 file and encrypted PEM keys. */
    private static final char[] PASSWORD = "fuzz".toCharArray();

    private final CertificateFileParser parser = new CertificateFileParser();

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void parse(byte[] data) {
        try {
            ParsedFile parsed = parser.parse(data, PASSWORD);
            assertThat(parsed.format()).isNotNull();
        } catch (ImportException e) {
            assertThat(e.getMessage()).as("an admin's one-line message").isNotBlank().doesNotContain("\n");
        }
    }
}
