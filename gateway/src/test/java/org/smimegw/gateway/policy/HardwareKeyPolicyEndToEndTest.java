package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.policy.PolicyFixture.message;
import static org.smimegw.gateway.policy.PolicyFixture.subject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import org.bouncycastle.mail.smime.SMIMESigned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.pkcs11.Pkcs11KeySource;
import org.smimegw.certstore.pkcs11.SoftHsm2Extension;
import org.smimegw.certstore.pkcs11.SoftHsmToken;
import org.smimegw.certstore.pkcs11.TokenEnroller;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SmimeEncryptor;

/**
 * AllowSMIMESoftCerts: false end to end with a real SoftHSM2 token: the user whose signing key is in the token gets
 * mail signed (SHA-384, as required) by the token; the user with a software key is refused at RCPT. For inbound
 * mail the same setting keeps software keys from decrypting: only the token key does. (Skipped, and saying so,
 * without SoftHSM2.)
 */
@ExtendWith(SoftHsm2Extension.class)
class HardwareKeyPolicyEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void hardwareKeySignsWhereSoftKeysAreRefused(SoftHsmToken token) throws Exception {
        TestPki pki = TestPki.create("HwPolicy");
        String hw = "hw" + System.nanoTime() + "@example.com";
        try (Pkcs11KeySource source = new Pkcs11KeySource(token.config())) {
            new TokenEnroller(source).enroll(hw, TokenEnroller.KeyAlgorithm.RSA_2048,
                    kp -> pki.user(hw).keyPair(kp).issue().fullChain());
        }
        String policy = """
                users:
                  %s:
                    Sending:
                      RequireSignedSMIMEMessages: true
                      RequireSignedSMIMEAlgorithm: SHA384
                      AllowSMIMESoftCerts: false
                  soft@example.com:
                    Sending:
                      RequireSignedSMIMEMessages: true
                      AllowSMIMESoftCerts: false
                """.formatted(hw);
        String pkcs11 = pkcs11(token);
        try (PolicyFixture gw = new PolicyFixture(dir, pki, policy, true, pkcs11, store -> {
            TestPki.Issued soft = pki.issue("soft@example.com");
            store.addUserKey(soft.privateKey(), soft.certificate(), soft.chain());
        })) {
            assertThat(gw.app.certificates().orElseThrow().store().signingKey(hw))
                    .hasValueSatisfying(k -> assertThat(k.storage()).isEqualTo(KeyStorage.HARDWARE));

            var refused = gw.send("soft@example.com", List.of("carol@other.example"),
                    message("soft@example.com", "carol@other.example", null, "h1 soft", "soft"));
            assertThat(refused.rcpt(0)).startsWith("550 5.7.1").contains("software keystore");

            var sent = gw.send(hw, List.of("carol@other.example"),
                    message(hw, "carol@other.example", null, "h2 token", "signed in the token"));
            assertThat(sent.rcpt(0)).startsWith("250");
            MimeMessage got = gw.await("h2", subject("h2 token"));
            assertThat(got.getContentType()).startsWith("multipart/signed").contains("sha-384");
            assertThat(new SMIMESigned((MimeMultipart) got.getContent()).getSignerInfos().getSigners().iterator()
                    .next().getDigestAlgOID()).isEqualTo("2.16.840.1.101.3.4.2.2");
        }
    }

    @Test
    void softKeysDoNotDecryptForUsersWhoseKeysMustBeInHardware(SoftHsmToken token) throws Exception {
        TestPki pki = TestPki.create("HwDecrypt");
        String dual = "dual" + System.nanoTime() + "@example.com";  // a key in the token and an old one in software
        X509Certificate dualToken;
        try (Pkcs11KeySource source = new Pkcs11KeySource(token.config())) {
            dualToken = new TokenEnroller(source).enroll(dual, TokenEnroller.KeyAlgorithm.RSA_2048,
                    kp -> pki.user(dual).keyPair(kp).issue().fullChain()).get(0);
        }
        TestPki.Issued dualSoft = pki.issue(dual);
        TestPki.Issued soft = pki.issue("soft@example.com");
        TestPki.Issued free = pki.issue("free@example.com");
        String policy = """
                users:
                  %s:
                    Receiving:
                      AllowSMIMESoftCerts: false
                  soft@example.com:
                    Receiving:
                      AllowSMIMESoftCerts: false
                """.formatted(dual);
        String pkcs11 = pkcs11(token);
        try (PolicyFixture gw = new PolicyFixture(dir, pki, policy, true, pkcs11, store -> {
            store.addUserKey(dualSoft.privateKey(), dualSoft.certificate(), dualSoft.chain());
            store.addUserKey(soft.privateKey(), soft.certificate(), soft.chain());
            store.addUserKey(free.privateKey(), free.certificate(), free.chain());
        })) {
            sendEncrypted(gw, "soft@example.com", "d1 soft only", List.of(soft.certificate()));
            sendEncrypted(gw, "free@example.com", "d2 no policy", List.of(free.certificate()));
            sendEncrypted(gw, dual, "d3 both keys", List.of(dualSoft.certificate(), dualToken));
            sendEncrypted(gw, dual, "d4 old soft key", List.of(dualSoft.certificate()));

            MimeMessage softOnly = gw.await("d1", subject("d1 soft only"));
            assertThat(verdict(softOnly)).startsWith("key-refused (soft@example.com's decryption key is in a "
                    + "software keystore and AllowSMIMESoftCerts is false (recipient user soft@example.com (Receiving))")
                    .endsWith("only a hardware token key may decrypt)");
            assertThat(softOnly.getContentType()).startsWith("application/pkcs7-mime");  // still ciphertext

            MimeMessage noPolicy = gw.await("d2", subject("d2 no policy"));
            // AES-256-CBC, unsigned: decrypted, and marked as such
            assertThat(verdict(noPolicy)).startsWith("decrypted-unauthenticated (");
            assertThat(((String) noPolicy.getContent()).trim()).isEqualTo("d2 no policy");

            MimeMessage both = gw.await("d3", subject("d3 both keys"));
            assertThat(verdict(both)).startsWith("decrypted-unauthenticated (");
            assertThat(((String) both.getContent()).trim()).isEqualTo("d3 both keys");

            MimeMessage oldSoft = gw.await("d4", subject("d4 old soft key"));
            assertThat(verdict(oldSoft)).startsWith("key-refused (" + dual + "'s decryption key is in a software");
            assertThat(oldSoft.getContentType()).startsWith("application/pkcs7-mime");
        }
    }

    /** The certstore.pkcs11 section for the test token. */
    private static String pkcs11(SoftHsmToken token) {
        return """
                pkcs11:
                  name: softhsm
                  library: %s
                  slot: %d
                  pin: file:%s
                  reloadIntervalSeconds: 0
                """.formatted(token.library(), token.slot(), token.pinFile());
    }

    private void sendEncrypted(PolicyFixture gw, String to, String subject, List<X509Certificate> recipients)
            throws Exception {
        MimeMessage plain = PolicyFixture.copy(new MimeMessage(jakarta.mail.Session.getInstance(new Properties()),
                new java.io.ByteArrayInputStream(message("bob@partner.example", to, null, subject, subject)
                        .getBytes(StandardCharsets.US_ASCII))));
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), new MessageFiles(dir.resolve("tmp")))
                .encrypt(plain, recipients, EncryptionAlgorithm.AES256);
        var sent = gw.send("bob@partner.example", List.of(to), PolicyFixture.raw(encrypted));
        assertThat(sent.rcpt(0)).startsWith("250");
        assertThat(sent.dataReply()).hasValueSatisfying(r -> assertThat(r).startsWith("250"));
    }

    private static String verdict(MimeMessage m) throws Exception {
        String[] values = m.getHeader("X-SMIME-Decryption");
        assertThat(values).as("X-SMIME-Decryption").hasSize(1);
        return MimeUtility.unfold(values[0]);
    }
}
