package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

class PolicyCheckTest {

    @Test
    void decidesPairsWithTheCurrentPolicyAndFacts() throws Exception {
        PolicySet shipped = new PolicyLoader().load(PolicyFixtures.shippedPolicy());
        PolicyFixtures.FixedFacts facts = new PolicyFixtures.FixedFacts(Set.of("example.com"))
                .key("finance@example.com", KeyStorage.SOFTWARE)
                .certificate("bob@partner.example", PolicyFixtures.caps(EncryptionAlgorithm.AES256));
        PolicyCheck check = new PolicyCheck(() -> shipped, facts, new PolicyDecisions());

        assertThat(check.direction("finance@example.com", "bob@partner.example")).contains(MailDirection.OUTBOUND);
        assertThat(check.direction("bob@partner.example", "legal@example.com")).contains(MailDirection.INBOUND);
        assertThat(check.direction("a@outside.example", "b@partner.example")).isEmpty();

        assertThat(check.outbound("finance@example.com", "bob@partner.example"))
                .isInstanceOfSatisfying(OutboundDecision.Send.class, s -> {
                    assertThat(s.signing().orElseThrow().digest()).isEqualTo(DigestAlgorithm.SHA384);
                    assertThat(s.encryption().orElseThrow().algorithm()).isEqualTo(EncryptionAlgorithm.AES256);
                });
        assertThat(check.outbound("finance@example.com", "carol@partner.example"))
                .isInstanceOf(OutboundDecision.Refuse.class);
        assertThat(check.inbound("bob@partner.example", "legal@example.com", new InboundMessageFacts(
                new InboundMessageFacts.Signature.Unsigned(), new InboundMessageFacts.Encryption.NotEncrypted())))
                .isInstanceOfSatisfying(InboundDecision.Violation.class,
                        v -> assertThat(v.action()).isEqualTo(InboundViolationAction.Reject));
        assertThat(check.effective("bob@partner.example", "legal@example.com").direction())
                .isEqualTo(MailDirection.INBOUND);
    }
}
