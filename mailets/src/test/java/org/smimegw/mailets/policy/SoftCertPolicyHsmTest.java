package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CompositeCertificateStore;
import org.smimegw.certstore.KeySource;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.pkcs11.Pkcs11KeySource;
import org.smimegw.certstore.pkcs11.SoftHsm2Extension;
import org.smimegw.certstore.pkcs11.SoftHsmToken;
import org.smimegw.certstore.pkcs11.TokenEnroller;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.validation.PkixCertificateValidator;

/**
 * AllowSMIMESoftCerts: false with real keys: one generated in a SoftHSM2 token (PKCS#11, KeyStorage.HARDWARE), one in
 * a software key source. Skipped, loudly, when SoftHSM2 is not installed (SoftHsm2Extension).
 */
@ExtendWith(SoftHsm2Extension.class)
class SoftCertPolicyHsmTest {

    private static final String POLICY = """
            users:
              hw@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
                  AllowSMIMESoftCerts: false
              soft@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
                  AllowSMIMESoftCerts: false
              allowed@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
            """;

    private static TestPki pki;
    private static Pkcs11KeySource token;
    private static PolicyCheck check;

    @BeforeEach
    void enrollOnce(SoftHsmToken softHsm) throws Exception {
        if (check != null) {
            return;
        }
        pki = TestPki.create("Policy HSM");
        token = new Pkcs11KeySource(softHsm.config());
        new TokenEnroller(token).enroll("hw", TokenEnroller.KeyAlgorithm.RSA_2048,
                kp -> pki.user("hw@example.com").keyPair(kp).issue().fullChain());
        TestPki.Issued soft = pki.issue("soft@example.com");
        TestPki.Issued allowed = pki.issue("allowed@example.com");
        KeySource software = new KeySource() {
            @Override
            public String name() {
                return "file";
            }

            @Override
            public List<UserKey> keys(String address) {
                return switch (address.toLowerCase()) {
                    case "soft@example.com" -> List.of(new UserKey(soft.privateKey(), soft.certificate(), soft.chain(),
                            KeyStorage.SOFTWARE));
                    case "allowed@example.com" -> List.of(new UserKey(allowed.privateKey(), allowed.certificate(),
                            allowed.chain(), KeyStorage.SOFTWARE));
                    default -> List.of();
                };
            }
        };
        TrustCollection trust = new TrustCollection(List.of(pki.rootCertificate()),
                List.of(pki.intermediate().certificate()), List.of());
        CompositeCertificateStore store = new CompositeCertificateStore(List.of(token, software), List.of(), List.of(),
                () -> trust, Clock.systemUTC());
        PkixCertificateValidator validator = new PkixCertificateValidator(() -> trust,
                CertStoreConfig.Revocation.defaults().withMode(CertStoreConfig.RevocationMode.OFF), Clock.systemUTC());
        PolicySet policy = PolicyFixtures.parse(POLICY);
        check = new PolicyCheck(() -> policy, new CertificateStorePolicyFacts(store, validator,
                CertificateStorePolicyFacts.domains(Set.of("example.com")), Clock.systemUTC()), new PolicyDecisions());
    }

    @AfterAll
    static void close() {
        if (token != null) {
            token.close();
        }
    }

    @Test
    void tokenKeySignsWhenSoftCertsAreRefused() {
        OutboundDecision d = check.outbound("hw@example.com", "bob@partner.example");

        assertThat(d).isInstanceOfSatisfying(OutboundDecision.Send.class, s ->
                assertThat(s.signing().orElseThrow().storage()).isEqualTo(KeyStorage.HARDWARE));
    }

    @Test
    void softwareKeyIsRefusedWith571WhenSoftCertsAreRefused() {
        OutboundDecision d = check.outbound("soft@example.com", "bob@partner.example");

        assertThat(d).isInstanceOfSatisfying(OutboundDecision.Refuse.class, r -> {
            assertThat(r.setting()).isEqualTo("AllowSMIMESoftCerts");
            assertThat(r.smtpReply()).startsWith("550 5.7.1 ").contains("software keystore");
        });
    }

    @Test
    void softwareKeySignsWhereSoftCertsAreAllowed() {
        assertThat(check.outbound("allowed@example.com", "bob@partner.example"))
                .isInstanceOfSatisfying(OutboundDecision.Send.class, s ->
                        assertThat(s.signing().orElseThrow().storage()).isEqualTo(KeyStorage.SOFTWARE));
    }
}
