package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestMessages;
import org.smimegw.mailets.testing.TestValidators;

/**
 * The verifier digests signed content through {@link MessageFiles}: in memory when small, through a spill file
 * (unlinked at once) when larger than the threshold. Either way the verdict is the same, a changed byte is caught,
 * and no file is left behind.
 */
class SmimeVerifierBufferingTest {

    private static final TestPki PKI = TestPki.create("VerifierBuffering");
    private static final TestPki.Issued ALICE = PKI.issue("alice@example.com");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1} byte attachment, threshold {2}")
    @CsvSource({"CLEAR, 2000, 65536", "CLEAR, 200000, 65536", "CLEAR, 2000, 0",
            "OPAQUE, 2000, 65536", "OPAQUE, 200000, 65536", "OPAQUE, 2000, 0"})
    void verdictIsTheSameInMemoryAndThroughASpillFileAndNothingIsLeftBehind(SignMode mode, int size, int threshold)
            throws Exception {
        Path tmp = dir.resolve("tmp");
        MessageFiles files = new MessageFiles(tmp, threshold);
        MimeMessage original = TestMessages.withAttachment("alice@example.com", "bob@partner.example", size);
        Instant signingTime = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults().withMode(mode), files)
                .sign(original, TestKeys.userKey(ALICE), signingTime);
        byte[] bytes = TestMessages.bytes(signed);
        SmimeVerifier verifier = new SmimeVerifier(TestValidators.pkix(TestKeys.trust(PKI)), files);

        VerificationResult good = verifier.verify(TestMessages.parse(new String(bytes, StandardCharsets.ISO_8859_1)),
                Instant.now());
        assertThat(good.status()).as(good.toString()).isEqualTo(VerificationStatus.VALID);
        assertThat(good.signers()).singleElement().satisfies(s -> assertThat(s.signingTime()).isEqualTo(signingTime));

        if (mode == SignMode.CLEAR) {
            // one character of the clear-signed text changed: the digest no longer matches
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).contains("see attached");
            String tampered = text.replace("see attached", "see attachee");
            VerificationResult bad = verifier.verify(TestMessages.parse(tampered), Instant.now());
            assertThat(bad.status()).as(bad.toString()).isEqualTo(VerificationStatus.INVALID_SIGNATURE);
        }
        assertThat(filesIn(tmp)).as("temporary files left in " + tmp).isZero();
    }

    @org.junit.jupiter.api.Test
    void utcTimeIsReadLikeBouncyCastleReadsIt() throws Exception {
        for (String t : new String[] {"261128131415Z", "491231235959Z", "500101000000Z", "991231235959Z",
                "000229120000Z"}) {
            org.bouncycastle.asn1.ASN1UTCTime utc = new org.bouncycastle.asn1.ASN1UTCTime(t);
            assertThat(SmimeVerifier.utcTime(utc.getTime())).as(t).isEqualTo(utc.getAdjustedDate().toInstant());
        }
        assertThat(SmimeVerifier.utcTime("2611281314GMT+00:00")).isNull();
        assertThat(SmimeVerifier.utcTime("261128131415GMT+01:00")).isNull();
        assertThat(SmimeVerifier.utcTime("261328131415GMT+00:00")).isNull();
    }

    private static long filesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
