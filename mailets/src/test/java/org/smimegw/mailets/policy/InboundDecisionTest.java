package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.policy.InboundMessageFacts.Encryption;
import org.smimegw.mailets.policy.InboundMessageFacts.Signature;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/** Inbound mail for internal recipients whose policy requires signed or encrypted mail. */
class InboundDecisionTest {

    private static final String POLICY = """
            global:
              AllowWeakAlgorithms: true
              OWASigningAlgorithms: [SHA512, SHA384, SHA256, SHA1]
              OWAEncryptionAlgorithms: [AES256, AES128, TripleDES]
            users:
              legal@example.com:
                Receiving:
                  RequireSignedSMIMEMessages: true
                  OWASigningAlgorithms: [SHA512, SHA384, SHA256]
                  InboundViolationAction: Reject
              hr@example.com:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  OWAEncryptionAlgorithms: [AES256, AES128]
                  AllowSMIMESoftCerts: false
              finance@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
            """;

    private static PolicySet policy;
    private final PolicyDecisions decisions = new PolicyDecisions();

    @BeforeAll
    static void load() throws ConfigFileException {
        policy = PolicyFixtures.parse(POLICY);
    }

    @ParameterizedTest(name = "{0} to {1}: {2} / {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # recipient          | case               | signature   | encryption | outcome    | expect
            legal@example.com    | unsigned           | none        | clear      | reject     | the message is not signed
            legal@example.com    | trusted SHA256     | SHA256      | clear      | accept     | meets
            legal@example.com    | trusted SHA1       | SHA1        | clear      | reject     | signed with SHA1, not one of OWASigningAlgorithms [SHA512, SHA384, SHA256]
            legal@example.com    | untrusted signer   | untrusted   | clear      | reject     | is not trusted: no path to a trust anchor
            legal@example.com    | bad signature      | invalid     | clear      | reject     | the signature is not valid
            hr@example.com       | clear              | none        | clear      | quarantine | the message arrived in clear
            hr@example.com       | AES128             | none        | AES128     | accept     | meets
            hr@example.com       | TripleDES          | none        | TripleDES  | quarantine | encrypted with TripleDES, not one of OWAEncryptionAlgorithms [AES256, AES128]
            finance@example.com  | Sending rule only  | none        | clear      | accept     | requires neither
            other@example.com    | no rule            | untrusted   | clear      | accept     | requires neither
            """)
    void decides(String recipient, String name, String signature, String encryption, String outcome, String expect) {
        EffectivePolicy p = policy.resolveInbound("someone@outside.example", recipient);

        InboundDecision d = decisions.decideInbound(p, new InboundMessageFacts(signature(signature), encryption(encryption)));

        assertThat(d.outcome()).as(d.toString()).isEqualTo(outcome);
        assertThat(d.reason()).contains(expect);
        if (d instanceof InboundDecision.Violation v && v.action() == InboundViolationAction.Reject) {
            assertThat(v.smtpReply()).startsWith("550 5.7.1 ");
        }
    }

    @Test
    void decryptionKeyMustBeHardwareWhenSoftCertsAreRefused() {
        EffectivePolicy hr = policy.resolveInbound("someone@outside.example", "hr@example.com");
        EffectivePolicy legal = policy.resolveInbound("someone@outside.example", "legal@example.com");

        assertThat(decisions.keyAllowed(hr, KeyStorage.SOFTWARE)).isFalse();
        assertThat(decisions.keyAllowed(hr, KeyStorage.HARDWARE)).isTrue();
        assertThat(decisions.keyAllowed(legal, KeyStorage.SOFTWARE)).isTrue();
    }

    private static Signature signature(String s) {
        CertificateSummary signer = new CertificateSummary("CN=someone", "5", "CC");
        return switch (s) {
            case "none" -> new Signature.Unsigned();
            case "untrusted" -> new Signature.Untrusted(signer, "no path to a trust anchor");
            case "invalid" -> new Signature.Invalid("message digest mismatch");
            default -> new Signature.Verified(signer, DigestAlgorithm.byPolicyName(s).orElseThrow().oid().getId());
        };
    }

    private static Encryption encryption(String e) {
        if (e.equals("clear")) {
            return new Encryption.NotEncrypted();
        }
        EncryptionAlgorithm a = EncryptionAlgorithm.byPolicyName(e).orElseThrow();
        return new Encryption.Encrypted(a.oid().getId(), a.keyBits());
    }
}
