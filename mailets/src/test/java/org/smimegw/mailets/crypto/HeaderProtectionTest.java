package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestMessages;
import org.smimegw.mailets.testing.TestValidators;

/** RFC 9788 header protection through our own signer, encryptor, decryptor and verifier. */
class HeaderProtectionTest {

    static TestPki.Issued alice;
    static TestPki.Issued bob;
    static MessageFiles files;
    static SmimeVerifier verifier;
    static SmimeDecryptor decryptor;

    @BeforeAll
    static void pki(@TempDir Path dir) {
        TestPki pki = TestPki.create("HP");
        alice = pki.issue("alice@example.com");
        bob = pki.issue("bob@partner.example");
        files = new MessageFiles(dir);
        verifier = new SmimeVerifier(TestValidators.pkix(TestKeys.trust(pki)), files, TestProviders.providers());
        decryptor = new SmimeDecryptor(files, TestProviders.providers());
    }

    static MimeMessage message() throws Exception {
        return TestMessages.parse("From: Alice <alice@example.com>\r\nTo: bob@partner.example\r\n"
                + "Cc: carol@partner.example\r\nSubject: The Jones contract\r\nDate: Sun, 6 Dec 2026 10:00:00 +0000\r\n"
                + "Message-ID: <hp-1@example.com>\r\nKeywords: secret\r\nReceived: from client by gw\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe terms are attached.\r\n");
    }

    static MimeMessage encrypt(MimeMessage m, EncryptionAlgorithm algorithm, boolean protect) throws Exception {
        return new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers())
                .encrypt(m, List.of(bob.certificate()), algorithm, protect);
    }

    static MimeMessage sign(MimeMessage m, SignMode mode, HeaderProtection.Mode hp) throws Exception {
        return new SmimeSigner(SignerSettings.defaults().withMode(mode), files, TestProviders.providers())
                .sign(m, TestKeys.userKey(alice), Instant.now(), hp);
    }

    static String raw(MimeMessage m) throws Exception {
        return new String(TestMessages.bytes(m), StandardCharsets.ISO_8859_1);
    }

    static MimeMessage reparse(MimeMessage m) throws Exception {
        return TestMessages.parse(raw(m));
    }

    @Test
    void encryptedMailHidesTheSubjectOutsideAndCarriesItInside() throws Exception {
        MimeMessage encrypted = encrypt(message(), EncryptionAlgorithm.AES256GCM, true);
        assertThat(encrypted.getHeader("Subject")).containsExactly("[...]");
        assertThat(encrypted.getHeader("Keywords")).isNull();
        assertThat(encrypted.getHeader("From")).containsExactly("Alice <alice@example.com>");
        assertThat(encrypted.getHeader("Message-ID")).containsExactly("<hp-1@example.com>");

        DecryptionResult d = decryptor.decrypt(reparse(encrypted), List.of(TestKeys.userKey(bob)));
        assertThat(d.status()).isEqualTo(DecryptionResult.Status.DECRYPTED);
        assertThat(d.headerProtection()).isEqualTo("ok");
        MimeMessage delivered = d.message().orElseThrow();
        assertThat(delivered.getHeader("Subject")).containsExactly("The Jones contract");
        assertThat(delivered.getHeader("Keywords")).containsExactly("secret");
        assertThat(delivered.getHeader("From")).containsExactly("Alice <alice@example.com>");
        assertThat(delivered.getHeader("Cc")).containsExactly("carol@partner.example");
        assertThat(delivered.getHeader("Received")).containsExactly("from client by gw");
        assertThat(delivered.getHeader("HP-Outer")).isNull();
        assertThat(delivered.getContent().toString()).startsWith("The terms are attached.");
    }

    @Test
    void thePayloadCarriesHpCipherAndHpOuterRecordsOfWhatWentOutside() throws Exception {
        MimeMessage encrypted = encrypt(message(), EncryptionAlgorithm.AES256GCM, true);
        // the payload as decrypted, before the gateway delivers it: what a client implementing RFC 9788 sees
        String payload = decryptedEntity(encrypted);
        assertThat(payload).contains("hp=cipher").contains("Subject: The Jones contract\r\n")
                .contains("HP-Outer: Subject: [...]\r\n").contains("HP-Outer: From: Alice <alice@example.com>\r\n")
                .contains("HP-Outer: Message-ID: <hp-1@example.com>\r\n").contains("Keywords: secret\r\n")
                .doesNotContain("HP-Outer: Keywords").doesNotContain("Received");
    }

    private static String decryptedEntity(MimeMessage encrypted) throws Exception {
        var parser = new org.bouncycastle.mail.smime.SMIMEAuthEnveloped(reparse(encrypted));
        var info = parser.getRecipientInfos().getRecipients().iterator().next();
        byte[] plain = info.getContent(new org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient(bob.privateKey())
                .setProvider(TestProviders.providers().bouncyCastle()));
        return new String(plain, StandardCharsets.ISO_8859_1);
    }

    @Test
    void withoutHeaderProtectionNothingChanges() throws Exception {
        MimeMessage encrypted = encrypt(message(), EncryptionAlgorithm.AES256GCM, false);
        assertThat(encrypted.getHeader("Subject")).containsExactly("The Jones contract");
        DecryptionResult d = decryptor.decrypt(reparse(encrypted), List.of(TestKeys.userKey(bob)));
        assertThat(d.headerProtection()).isEqualTo("none");
        assertThat(d.message().orElseThrow().getHeader("Subject")).containsExactly("The Jones contract");
    }

    @Test
    void malleableCbcContentHasNothingPromoted() throws Exception {
        MimeMessage encrypted = encrypt(message(), EncryptionAlgorithm.AES256, true);
        DecryptionResult d = decryptor.decrypt(reparse(encrypted), List.of(TestKeys.userKey(bob)));
        assertThat(d.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(d.headerProtection()).isEqualTo("unauthenticated");
        MimeMessage delivered = d.message().orElseThrow();
        assertThat(delivered.getHeader("Subject")).containsExactly("[...]");
        assertThat(delivered.getHeader("Keywords")).isNull();
    }

    @Test
    void anOuterSubjectChangedInTransitIsAMismatchAndTheProtectedOneIsDelivered() throws Exception {
        String tampered = raw(encrypt(message(), EncryptionAlgorithm.AES256GCM, true))
                .replace("Subject: [...]", "Subject: Urgent: pay invoice")
                .replaceFirst("To: bob@partner.example", "To: bob@partner.example\r\nCc: mallory@evil.example");
        DecryptionResult d = decryptor.decrypt(TestMessages.parse(tampered), List.of(TestKeys.userKey(bob)));
        assertThat(d.headerProtection()).isEqualTo("mismatch (Cc, Subject)");
        MimeMessage delivered = d.message().orElseThrow();
        assertThat(delivered.getHeader("Subject")).containsExactly("The Jones contract");
        assertThat(delivered.getHeader("Cc")).containsExactly("carol@partner.example");
    }

    @ParameterizedTest
    @EnumSource(SignMode.class)
    void signedOnlyWithHpClearVerifiesAndDeliversTheSignedHeaders(SignMode mode) throws Exception {
        MimeMessage signed = reparse(sign(message(), mode, HeaderProtection.Mode.CLEAR));
        assertThat(signed.getHeader("Subject")).containsExactly("The Jones contract");
        VerificationResult v = verifier.verify(signed, Instant.now());
        assertThat(v.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(v.protectedHeaders()).isPresent();
        assertThat(v.protectedHeaders().get().mode()).isEqualTo(HeaderProtection.Mode.CLEAR);
        assertThat(v.protectedHeaders().get().hpOuter()).isEmpty();

        signed.setHeader("Subject", "Changed on the way");
        assertThat(HeaderProtection.promote(signed, v.protectedHeaders().get())).isEqualTo("mismatch (Subject)");
        assertThat(signed.getHeader("Subject")).containsExactly("The Jones contract");
        assertThat(verifier.verify(reparse(signed), Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void signedThenEncryptedCarriesTheFieldsInsideTheSignature() throws Exception {
        MimeMessage signed = sign(message(), SignMode.CLEAR, HeaderProtection.Mode.CIPHER);
        MimeMessage encrypted = encrypt(signed, EncryptionAlgorithm.AES256, true);
        assertThat(encrypted.getHeader("Subject")).containsExactly("[...]");

        DecryptionResult d = decryptor.decrypt(reparse(encrypted), List.of(TestKeys.userKey(bob)));
        assertThat(d.headerProtection()).as("SMIMEVerify's to say").isNull();
        MimeMessage decrypted = reparse(d.message().orElseThrow());
        var first = ((MimeMultipart) decrypted.getContent()).getBodyPart(0);
        assertThat(first.getContentType()).contains("hp=cipher");
        VerificationResult v = verifier.verify(decrypted, Instant.now());
        assertThat(v.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(HeaderProtection.promote(decrypted, v.protectedHeaders().orElseThrow())).isEqualTo("ok");
        assertThat(decrypted.getHeader("Subject")).containsExactly("The Jones contract");
    }

    @Test
    void aProtectedFromThatIsNotTheSignersIsASignerMismatch() throws Exception {
        MimeMessage forged = TestMessages.parse(raw(message()).replace("From: Alice <alice@example.com>",
                "From: CEO <ceo@example.com>"));
        MimeMessage signed = sign(forged, SignMode.CLEAR, HeaderProtection.Mode.CLEAR);
        signed.setHeader("From", "Alice <alice@example.com>");
        VerificationResult v = verifier.verify(reparse(signed), Instant.now());
        assertThat(v.status()).isEqualTo(VerificationStatus.SIGNER_MISMATCH);
    }
}
