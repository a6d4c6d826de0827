package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smimegw.certstore.KeyStorage;

class PolicyExplainerTest {

    private PolicySet policy;
    private PolicyFixtures.FixedFacts facts;
    private PolicyExplainer explainer;

    @BeforeEach
    void setUp() throws Exception {
        policy = new PolicyLoader().load(PolicyFixtures.shippedPolicy());
        facts = new PolicyFixtures.FixedFacts(Set.of("example.com"));
        explainer = new PolicyExplainer(() -> policy, facts, new PolicyDecisions());
    }

    @Test
    void financeToPartnerIsSignedWithSha384AndEncryptedWithAes256() {
        facts.key("finance@example.com", KeyStorage.SOFTWARE)
                .certificate("bob@partner.example", PolicyFixtures.caps(EncryptionAlgorithm.AES256GCM,
                        EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES128));
        String text = explainer.explain("finance@example.com", "bob@partner.example");
        System.out.println(text);
        assertThat(text).contains("Direction: outbound");
    }

    @Test
    void inboundToLegal() {
        String text = explainer.explain("someone@outside.example", "legal@example.com");
        System.out.println(text);
        assertThat(text).contains("Direction: inbound");
    }
}
