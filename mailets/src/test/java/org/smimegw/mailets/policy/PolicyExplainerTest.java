package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/**
 * policy explain for the README's example (the shipped conf/policy.yaml): "everything to partner.example must be
 * AES-256 encrypted, everything from finance@example.com must be signed with SHA-384, inbound mail to
 * legal@example.com must be signed by a trusted CA".
 */
class PolicyExplainerTest {

    private PolicyFixtures.FixedFacts facts;
    private PolicyExplainer explainer;

    @BeforeEach
    void setUp() throws Exception {
        PolicySet policy = new PolicyLoader().load(PolicyFixtures.shippedPolicy());
        facts = new PolicyFixtures.FixedFacts(Set.of("example.com"));
        explainer = new PolicyExplainer(() -> policy, facts, new PolicyDecisions());
    }

    private String explain(String from, String to) {
        String text = explainer.explain(from, to);
        System.out.println("$ policy explain --from " + from + " --to " + to + "\n" + text);
        return text;
    }

    @Test
    void financeToPartnerIsSignedWithSha384AndEncryptedWithAes256() {
        facts.key("finance@example.com", KeyStorage.HARDWARE)
                .certificate("bob@partner.example", PolicyFixtures.caps(EncryptionAlgorithm.AES256GCM,
                        EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES128));

        String text = explain("finance@example.com", "bob@partner.example");

        assertThat(text).contains("Direction: outbound");
        assertThat(setting(text, "RequireSignedSMIMEMessages")).contains("true")
                .contains("sender: user finance@example.com (Sending) (../conf/policy.yaml:");
        assertThat(setting(text, "RequireSignedSMIMEAlgorithm")).contains("SHA384")
                .contains("sender: user finance@example.com (Sending)");
        assertThat(setting(text, "RequireEncryptedSMIMEMessages")).contains("true")
                .contains("recipient: domain partner.example (Receiving)");
        assertThat(setting(text, "AllowSMIMEEncryptionAlgorithmNegotiation")).contains("BlockNegotiation")
                .contains("recipient: domain partner.example (Receiving)");
        assertThat(setting(text, "OWAAlwaysSign")).contains("true").contains("global (../conf/policy.yaml:");
        assertThat(line(text, "signing key:")).contains("CN=finance@example.com").contains("(hardware token)");
        assertThat(line(text, "recipient certificate:")).contains("CN=bob@partner.example")
                .contains("announces AES256GCM, AES256, AES128");
        assertThat(line(text, "sign:")).contains("SHA384, clear-signed, chain without root");
        assertThat(line(text, "encrypt:")).contains("AES256 - RequireEncryptionSMIMEAlgorithm AES256, which the recipient announced");
        assertThat(line(text, "outcome:")).contains("SEND, signed with SHA384 and encrypted with AES256");
    }

    @Test
    void partnerThatCannotDoAes256IsRefusedNotDowngraded() {
        facts.key("finance@example.com", KeyStorage.SOFTWARE)
                .certificate("old@partner.example", PolicyFixtures.caps(EncryptionAlgorithm.AES128));

        String text = explain("finance@example.com", "old@partner.example");

        assertThat(line(text, "outcome:")).contains("REFUSE 550 5.7.1 encryption required (recipient domain "
                + "partner.example (Receiving)) but no allowed algorithm fits old@partner.example: BlockNegotiation: "
                + "the recipient announced only AES128, not RequireEncryptionSMIMEAlgorithm AES256");
    }

    @Test
    void partnerWithoutCertificateIsRefusedAndDirectoryOutageDefers() {
        facts.key("ann@example.com", KeyStorage.SOFTWARE).directoryDown("down@partner.example");

        assertThat(line(explain("ann@example.com", "nocert@partner.example"), "outcome:"))
                .contains("REFUSE 550 5.7.1").contains("nocert@partner.example has no usable certificate");
        assertThat(line(explain("ann@example.com", "down@partner.example"), "outcome:"))
                .contains("DEFER 451 4.4.3").contains("never sent in clear");
    }

    @Test
    void financeWithoutKeyIsRefused() {
        String text = explain("finance@example.com", "someone@elsewhere.example");

        assertThat(line(text, "signing key:")).contains("none: the gateway holds no signing key");
        assertThat(line(text, "outcome:")).contains("REFUSE 550 5.7.1 signing required (sender user "
                + "finance@example.com (Sending)) but finance@example.com has no usable signing key");
    }

    @Test
    void inboundToLegalMustBeSignedByATrustedCa() {
        String text = explain("someone@outside.example", "legal@example.com");

        assertThat(text).contains("Direction: inbound");
        assertThat(setting(text, "RequireSignedSMIMEMessages")).contains("true")
                .contains("recipient: user legal@example.com (Receiving)");
        assertThat(setting(text, "InboundViolationAction")).contains("Reject");
        assertThat(line(text, "unsigned, in clear:")).contains("REJECT 550 5.7.1").contains("the message is not signed");
        assertThat(line(text, "signed (SHA512) by a trusted CA, in clear:")).endsWith("ACCEPT");
        assertThat(line(text, "signed by an untrusted signer:")).contains("REJECT 550 5.7.1").contains("is not trusted");
        assertThat(line(text, "signature does not verify:")).contains("REJECT");
    }

    @Test
    void inboundToOthersAndFromPartnerIsNotRestricted() {
        // partner.example's rule is for mail it receives: mail from it is not required to be encrypted
        String text = explain("bob@partner.example", "ann@example.com");

        assertThat(setting(text, "RequireEncryptedSMIMEMessages")).contains("false");
        assertThat(line(text, "outcome:")).contains("ACCEPT any message");
    }

    @Test
    void externalToExternalIsNotRelayed() {
        assertThat(explain("a@outside.example", "b@partner.example")).contains("does not relay");
    }

    private static String setting(String text, String name) {
        return line(text, name + " ");
    }

    private static String line(String text, String start) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + text));
    }
}
