package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeEncryptor;
import org.smimegw.mailets.crypto.SmimeSigner;

/**
 * The shipped S/MIME pipeline ({@code conf/mailetcontainer.xml}) in the running gateway, over SMTP into GreenMail,
 * with a file certificate store: alice@example.com is internal and has a key; bob@partner.example is external and
 * has a published certificate (his key is used by openssl and to sign his mail); carol@nocert.example has nothing.
 */
class SmimeGatewayEndToEndTest {

    private static TestPki pki;
    private static TestPki.Issued alice;
    private static TestPki.Issued bob;

    @TempDir
    Path dir;
    private SmimeGatewayFixture gateway;
    private MessageFiles files;
    private Path rootPem;
    private Path bobCertPem;
    private Path bobKeyPem;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("E2E");
        alice = pki.issue("alice@example.com");
        bob = pki.issue("bob@partner.example");
    }

    @BeforeEach
    void start() throws Exception {
        Path yaml = SmimeGatewayFixture.writeConfig(dir, "");
        FileCertificateStore store = FileCertificateStore.fromConfig(
                new ConfigLoader().load(yaml).certstore(), dir, System::getenv);
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());
        store.addUserCertificate(bob.certificate(), bob.chain());
        rootPem = TestPki.writePem(dir.resolve("root.pem"), pki.rootCertificate());
        bobCertPem = TestPki.writePem(dir.resolve("bob.cert.pem"), bob.certificate());
        bobKeyPem = TestPki.writePem(dir.resolve("bob.key.pem"), bob.privateKey());
        files = new MessageFiles(dir.resolve("tmp"));
        gateway = SmimeGatewayFixture.start(dir);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String plain(String from, String to, String extraHeaders, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: e2e " + body + "\r\n" + extraHeaders
                + "Message-ID: <" + System.nanoTime() + "@e2e.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body + "\r\n";
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    private static UserKey key(TestPki.Issued issued) {
        return new UserKey(issued.privateKey(), issued.certificate(), issued.chain(), KeyStorage.SOFTWARE);
    }

    @Test
    void internalToExternalIsSignedAndEncryptedAndOpensslDecryptsAndVerifiesIt() throws Exception {
        assertThat(gateway.send(plain("alice@example.com", "bob@partner.example", "", "quarterly figures"),
                "alice@example.com", "bob@partner.example")).startsWith("250");

        MimeMessage arrived = gateway.awaitMail("bob@partner.example", 1).get(0);
        assertThat(arrived.getContentType()).startsWith("application/pkcs7-mime").contains("enveloped-data");
        assertThat(arrived.getSubject()).isEqualTo("e2e quarterly figures");
        Path file = gateway.save(arrived, "to-bob.eml");
        String content = SmimeGatewayFixture.decryptAndVerify(dir, file, bobCertPem, bobKeyPem, rootPem);
        assertThat(content).contains("quarterly figures");
    }

    @Test
    void externalSignedMailArrivesWithTheValidVerdict() throws Exception {
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults(), files)
                .sign(parse(plain("bob@partner.example", "alice@example.com", "", "signed by bob")), key(bob),
                        Instant.now());
        gateway.send(signed, "bob@partner.example", "alice@example.com");

        MimeMessage arrived = gateway.awaitMail("alice@example.com", 1).get(0);
        assertThat(arrived.getContentType()).startsWith("multipart/signed");
        assertThat(arrived.getHeader("X-SMIME-Status")).containsExactly("valid");
        assertThat(arrived.getHeader("X-SMIME-Signer", null)).contains("bob@partner.example");
        assertThat(arrived.getHeader("X-SMIME-Gateway")).containsExactly("processed");
    }

    @Test
    void externalEncryptedAndSignedMailArrivesDecryptedAndVerified() throws Exception {
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults(), files)
                .sign(parse(plain("bob@partner.example", "alice@example.com", "", "for alice only")), key(bob),
                        Instant.now());
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files)
                .encrypt(signed, List.of(alice.certificate()), EncryptionAlgorithm.AES256GCM);
        gateway.send(encrypted, "bob@partner.example", "alice@example.com");

        MimeMessage arrived = gateway.awaitMail("alice@example.com", 1).get(0);
        assertThat(arrived.getHeader("X-SMIME-Decryption")).containsExactly("decrypted");
        assertThat(arrived.getHeader("X-SMIME-Status")).containsExactly("valid");
        assertThat(arrived.getHeader("X-SMIME-Algorithms", null)).contains("encryption=AES-256-GCM");
        assertThat(arrived.getContentType()).startsWith("multipart/signed");
        Path file = gateway.save(arrived, "to-alice.eml");
        String content = SmimeGatewayFixture.openssl(dir, "cms", "-verify", "-in", file.toString(), "-CAfile",
                rootPem.toString());
        assertThat(content).contains("for alice only").contains("Verification successful");
    }

    @Test
    void aForgedVerdictFromOutsideIsReplacedOnArrival() throws Exception {
        gateway.send(plain("mallory@evil.example", "alice@example.com",
                "X-SMIME-Status: valid\r\nX-SMIME-Signer: ceo@example.com\r\nX-Smime-Reason: trust me\r\n",
                "wire the money"), "mallory@evil.example", "alice@example.com");

        MimeMessage arrived = gateway.awaitMail("alice@example.com", 1).get(0);
        assertThat(arrived.getHeader("X-SMIME-Status")).containsExactly("not-signed");
        assertThat(arrived.getHeader("X-SMIME-Signer")).isNull();
        assertThat(arrived.getHeader("X-SMIME-Reason")).containsExactly("not S/MIME signed"); // ours, not "trust me"
    }

    @Test
    void recipientWithoutCertificateGetsThePlainSignedCopyTheOtherGetsCiphertext() throws Exception {
        gateway.send(plain("alice@example.com", "bob@partner.example, carol@nocert.example", "", "split me"),
                "alice@example.com", "bob@partner.example", "carol@nocert.example");

        MimeMessage toBob = gateway.awaitMail("bob@partner.example", 1).get(0);
        MimeMessage toCarol = gateway.awaitMail("carol@nocert.example", 1).get(0);
        assertThat(toBob.getContentType()).startsWith("application/pkcs7-mime");
        assertThat(SmimeGatewayFixture.decryptAndVerify(dir, gateway.save(toBob, "split-bob.eml"), bobCertPem,
                bobKeyPem, rootPem)).contains("split me");
        assertThat(toCarol.getContentType()).startsWith("multipart/signed");
        String carolVerified = SmimeGatewayFixture.openssl(dir, "cms", "-verify", "-in",
                gateway.save(toCarol, "split-carol.eml").toString(), "-CAfile", rootPem.toString());
        assertThat(carolVerified).contains("split me");
        assertThat(gateway.inbox("bob@partner.example")).hasSize(1);
        assertThat(gateway.inbox("carol@nocert.example")).hasSize(1);
    }

    @Test
    void internalSenderWithoutKeyPassesUnsigned() throws Exception {
        gateway.send(plain("dave@example.com", "carol@nocert.example", "", "no key for dave"),
                "dave@example.com", "carol@nocert.example");

        MimeMessage arrived = gateway.awaitMail("carol@nocert.example", 1).get(0);
        assertThat(arrived.getContentType()).startsWith("text/plain");
        assertThat(((String) arrived.getContent()).trim()).isEqualTo("no key for dave");
    }
}
