package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.pkcs11.Pkcs11KeySource;
import org.smimegw.certstore.pkcs11.SoftHsm2Extension;
import org.smimegw.certstore.pkcs11.SoftHsmToken;
import org.smimegw.certstore.pkcs11.TokenEnroller;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeEncryptor;
import org.smimegw.mailets.crypto.SmimeSigner;

/**
 * The shipped pipeline with an internal user whose only key is in a SoftHSM2 token ({@code certstore.pkcs11}):
 * the user's outbound mail leaves signed by the token (openssl verifies it), mail encrypted to the user arrives
 * decrypted by the token. RSA and EC P-256 keys. (Skipped, and saying so, without SoftHSM2.)
 */
@ExtendWith(SoftHsm2Extension.class)
class TokenKeyGatewayEndToEndTest {

    private static TestPki pki;
    private static TestPki.Issued bob;

    @TempDir
    Path dir;
    private SmimeGatewayFixture gateway;
    private MessageFiles files;
    private Path rootPem;
    private Path bobCertPem;
    private Path bobKeyPem;
    private String user;
    private X509Certificate userCertificate;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("Token E2E");
        bob = pki.issue("bob@partner.example");
    }

    /** Enrolls a fresh token-only user (the token is shared by the JVM's tests) and starts the gateway. */
    private void start(SoftHsmToken token, TokenEnroller.KeyAlgorithm algorithm) throws Exception {
        user = "hw" + System.nanoTime() + "@example.com";
        try (Pkcs11KeySource source = new Pkcs11KeySource(token.config())) {
            userCertificate = new TokenEnroller(source).enroll(user, algorithm,
                    kp -> pki.user(user).keyPair(kp).issue().fullChain()).get(0);
        }
        Path yaml = SmimeGatewayFixture.writeConfig(dir, """
                  pkcs11:
                    name: softhsm
                    library: %s
                    slot: %d
                    pin: file:%s
                    reloadIntervalSeconds: 0
                """.formatted(token.library(), token.slot(), token.pinFile()));
        FileCertificateStore store = FileCertificateStore.fromConfig(
                new ConfigLoader().load(yaml).certstore(), dir, System::getenv);
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserCertificate(bob.certificate(), bob.chain());
        rootPem = TestPki.writePem(dir.resolve("root.pem"), pki.rootCertificate());
        bobCertPem = TestPki.writePem(dir.resolve("bob.cert.pem"), bob.certificate());
        bobKeyPem = TestPki.writePem(dir.resolve("bob.key.pem"), bob.privateKey());
        files = new MessageFiles(dir.resolve("tmp"));
        gateway = SmimeGatewayFixture.start(dir);
        var keys = gateway.app().certificates().orElseThrow().store();
        assertThat(keys.signingKey(user)).hasValueSatisfying(k -> assertThat(k.storage()).isEqualTo(KeyStorage.HARDWARE));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String plain(String from, String to, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: token " + body + "\r\nMessage-ID: <" + System.nanoTime()
                + "@e2e.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body + "\r\n";
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    /** openssl verifies {@code file} against the test root; returns the content; the signer must be the token user. */
    private String opensslVerifiesSignedByTheUser(Path file) throws Exception {
        Path signer = dir.resolve(file.getFileName() + ".signer.pem");
        Path content = dir.resolve(file.getFileName() + ".content");
        String output = SmimeGatewayFixture.openssl(dir, "cms", "-verify", "-in", file.toString(), "-CAfile",
                rootPem.toString(), "-signer", signer.toString(), "-out", content.toString());
        assertThat(output).contains("Verification successful");
        assertThat(Files.readString(signer)).contains(TestPki.pem(userCertificate).strip());
        return Files.readString(content, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(value = TokenEnroller.KeyAlgorithm.class, names = {"RSA_2048", "EC_P256"})
    void tokenUsersOutboundMailArrivesSignedByTheToken(TokenEnroller.KeyAlgorithm algorithm, SoftHsmToken token)
            throws Exception {
        start(token, algorithm);

        assertThat(gateway.send(plain(user, "bob@partner.example, carol@nocert.example", "signed in the token"),
                user, "bob@partner.example", "carol@nocert.example")).startsWith("250");

        MimeMessage toCarol = gateway.awaitMail("carol@nocert.example", 1).get(0);
        assertThat(toCarol.getContentType()).startsWith("multipart/signed");
        assertThat(opensslVerifiesSignedByTheUser(gateway.save(toCarol, "to-carol.eml")))
                .contains("signed in the token");
        MimeMessage toBob = gateway.awaitMail("bob@partner.example", 1).get(0);
        assertThat(toBob.getContentType()).startsWith("application/pkcs7-mime").contains("enveloped-data");
        assertThat(SmimeGatewayFixture.decryptAndVerify(dir, gateway.save(toBob, "to-bob.eml"), bobCertPem, bobKeyPem,
                rootPem)).contains("signed in the token");
    }

    @ParameterizedTest
    @EnumSource(value = TokenEnroller.KeyAlgorithm.class, names = {"RSA_2048", "EC_P256"})
    void inboundMailEncryptedToTheTokenUserArrivesDecrypted(TokenEnroller.KeyAlgorithm algorithm, SoftHsmToken token)
            throws Exception {
        start(token, algorithm);
        UserKey bobKey = new UserKey(bob.privateKey(), bob.certificate(), bob.chain(), KeyStorage.SOFTWARE);
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults(), files)
                .sign(parse(plain("bob@partner.example", user, "for the token holder")), bobKey, Instant.now());
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files)
                .encrypt(signed, List.of(userCertificate), EncryptionAlgorithm.AES256GCM);

        assertThat(gateway.send(encrypted, "bob@partner.example", user)).startsWith("250");

        MimeMessage arrived = gateway.awaitMail(user, 1).get(0);
        assertThat(arrived.getHeader("X-SMIME-Decryption")).containsExactly("decrypted");
        assertThat(arrived.getHeader("X-SMIME-Status")).containsExactly("valid");
        assertThat(arrived.getContentType()).startsWith("multipart/signed");
        String content = SmimeGatewayFixture.openssl(dir, "cms", "-verify", "-in",
                gateway.save(arrived, "to-user.eml").toString(), "-CAfile", rootPem.toString());
        assertThat(content).contains("for the token holder").contains("Verification successful");
    }

    /** openssl encrypts to the token user's RSA certificate with RSA-OAEP key transport (SHA-1 default, SHA-256). */
    @ParameterizedTest
    @ValueSource(strings = {"sha1", "sha256"})
    void rsaOaepMailToTheTokenUserArrivesDecryptedByTheToken(String oaepDigest, SoftHsmToken token) throws Exception {
        start(token, TokenEnroller.KeyAlgorithm.RSA_2048);
        Path plain = Files.writeString(dir.resolve("oaep-plain.eml"), "Content-Type: text/plain; charset=us-ascii"
                + "\r\n\r\nOAEP to the token (" + oaepDigest + ")\r\n");
        Path userPem = TestPki.writePem(dir.resolve("user.cert.pem"), userCertificate);
        Path encrypted = dir.resolve("oaep.eml");
        SmimeGatewayFixture.openssl(dir, "cms", "-encrypt", "-aes256", "-in", plain.toString(), "-out",
                encrypted.toString(), "-from", "bob@partner.example", "-to", user, "-subject", "oaep " + oaepDigest,
                "-recip", userPem.toString(), "-keyopt", "rsa_padding_mode:oaep", "-keyopt",
                "rsa_oaep_md:" + oaepDigest);
        assertThat(SmimeGatewayFixture.openssl(dir, "cms", "-cmsout", "-print", "-in", encrypted.toString()))
                .contains("rsaesOaep");

        assertThat(gateway.send(Files.readString(encrypted), "bob@partner.example", user)).startsWith("250");

        MimeMessage arrived = gateway.awaitMail(user, 1).get(0);
        assertThat(arrived.getHeader("X-SMIME-Decryption")[0]).startsWith("decrypted-unauthenticated (");
        assertThat(arrived.getHeader("X-SMIME-Algorithms", null)).contains("encryption=AES-256-CBC");
        assertThat(((String) arrived.getContent()).trim()).isEqualTo("OAEP to the token (" + oaepDigest + ")");
    }
}
