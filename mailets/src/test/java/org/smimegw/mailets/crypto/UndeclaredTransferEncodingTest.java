package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.mailets.testing.TestKeys;

/**
 * A message whose body is 8-bit (or binary) but that declares no Content-Transfer-Encoding, as sloppy senders
 * write them: signed or encrypted, its content must still read as it was sent. Bouncy Castle's generators fill in
 * missing Content-* headers from what Jakarta Mail guesses for the data (base64 or quoted-printable for such a
 * body) while the body stays as it was, so the signed or encrypted part declared an encoding its bytes did not
 * have (found by InboundSmimeFuzzTest#signedAndEncrypted).
 */
class UndeclaredTransferEncodingTest {
    private static final String TEXT = "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440 = Gr\u00fc\u00dfe\r\n";
    private static final String RAW = "From: bob@partner.example\r\nTo: alice@internal.example\r\nSubject: hi\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT;

    private static TestPki pki;
    private static UserKey bob;
    private static UserKey alice;

    @TempDir
    Path tmp;

    @BeforeAll
    static void keys() {
        pki = TestPki.create("Undeclared");
        bob = TestKeys.userKey(pki.issue("bob@partner.example"));
        alice = TestKeys.userKey(pki.issue("alice@internal.example"));
    }

    @ParameterizedTest
    @EnumSource(SignMode.class)
    void signedEightBitBodyWithoutTransferEncodingReadsAsSentAndVerifies(SignMode mode) throws Exception {
        MessageFiles files = new MessageFiles(tmp);
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults().withMode(mode), files)
                .sign(parse(files, RAW.getBytes(StandardCharsets.UTF_8)), bob, Instant.now());
        MimeMessage received = parse(files, bytes(signed));

        SmimeVerifier verifier = new SmimeVerifier(new PkixCertificateValidator(() -> TestKeys.trust(pki),
                CertStoreConfig.Revocation.defaults().withMode(CertStoreConfig.RevocationMode.OFF)), files);
        assertThat(verifier.verify(received, Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
        if (mode == SignMode.CLEAR) {
            assertThat(((MimeMultipart) received.getContent()).getBodyPart(0).getContent()).isEqualTo(TEXT);
        }
    }

    @Test
    void encryptedEightBitBodyWithoutTransferEncodingDecryptsAsSent() throws Exception {
        MessageFiles files = new MessageFiles(tmp);
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files).encrypt(
                parse(files, RAW.getBytes(StandardCharsets.UTF_8)), List.of(alice.certificate()),
                EncryptionAlgorithm.AES256);
        DecryptionResult decrypted = new SmimeDecryptor(files).decrypt(parse(files, bytes(encrypted)), List.of(alice));
        // AES-256-CBC without a signature inside: decrypted, but unauthenticated
        assertThat(decrypted.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(decrypted.message().orElseThrow().getContent()).isEqualTo(TEXT);
    }

    private static MimeMessage parse(MessageFiles files, byte[] bytes) throws Exception {
        return new MimeMessage(files.session(), new ByteArrayInputStream(bytes));
    }

    private static byte[] bytes(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }
}
