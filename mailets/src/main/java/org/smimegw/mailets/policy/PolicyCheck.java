package org.smimegw.mailets.policy;

import java.util.Optional;

import org.smimegw.certstore.KeyStorage;

/**
 * Policy for one sender/recipient pair, now: the current policy, the facts and the decision together. The hook for
 * the RCPT-time check (outbound decisions need no message content, so a {@link OutboundDecision.Refuse} can be the
 * RCPT reply and a {@link OutboundDecision.Defer} a 451), and for the enforcement mailets.
 */
public final class PolicyCheck {

    private final PolicyProvider policy;
    private final PolicyFacts facts;
    private final PolicyDecisions decisions;

    public PolicyCheck(PolicyProvider policy, PolicyFacts facts, PolicyDecisions decisions) {
        this.policy = policy;
        this.facts = facts;
        this.decisions = decisions;
    }

    /** Outbound when the sender is internal, inbound when only the recipient is; empty when neither is. */
    public Optional<MailDirection> direction(String sender, String recipient) {
        if (facts.isInternal(sender)) {
            return Optional.of(MailDirection.OUTBOUND);
        }
        return facts.isInternal(recipient) ? Optional.of(MailDirection.INBOUND) : Optional.empty();
    }

    /** The pair's effective policy in the direction {@link #direction} finds (outbound when neither is internal). */
    public EffectivePolicy effective(String sender, String recipient) {
        return policy.current().resolve(direction(sender, recipient).orElse(MailDirection.OUTBOUND), sender, recipient);
    }

    /** What outbound policy decides for this recipient now (looks up the sender's key and the recipient's certificate). */
    public OutboundDecision outbound(String sender, String recipient) {
        EffectivePolicy p = policy.current().resolveOutbound(sender, recipient);
        return decisions.decideOutbound(p, facts.signingKey(p.sender()), facts.recipientCertificate(p.recipient()));
    }

    /**
     * Why {@code recipient}'s key kept in {@code storage} may not decrypt mail from {@code sender} now (the recipient's
     * AllowSMIMESoftCerts); empty when it may.
     */
    public Optional<String> decryptionKeyRefusal(String sender, String recipient, KeyStorage storage) {
        return decisions.decryptionKeyRefusal(policy.current().resolveInbound(sender, recipient), storage);
    }

    /** What inbound policy decides for this recipient, given what decryption and verification found. */
    public InboundDecision inbound(String sender, String recipient, InboundMessageFacts message) {
        return decisions.decideInbound(policy.current().resolveInbound(sender, recipient), message);
    }
}
