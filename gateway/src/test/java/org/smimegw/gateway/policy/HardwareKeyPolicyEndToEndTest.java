package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.policy.PolicyFixture.message;
import static org.smimegw.gateway.policy.PolicyFixture.subject;

import java.nio.file.Path;
import java.util.List;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

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

/**
 * AllowSMIMESoftCerts: false end to end with a real SoftHSM2 token: the user whose signing key is in the token gets
 * mail signed (SHA-384, as required) by the token; the user with a software key is refused at RCPT. (Skipped, and
 * saying so, without SoftHSM2.)
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
        String pkcs11 = """
                pkcs11:
                  name: softhsm
                  library: %s
                  slot: %d
                  pin: file:%s
                  reloadIntervalSeconds: 0
                """.formatted(token.library(), token.slot(), token.pinFile());
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
}
