package org.smimegw.gateway.policy;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.smtp.RecipientPolicyCheck;
import org.smimegw.gateway.smtp.SmtpRejection;
import org.smimegw.gateway.smtp.SmtpSessionInfo;
import org.smimegw.mailets.policy.EffectivePolicy;
import org.smimegw.mailets.policy.MailDirection;
import org.smimegw.mailets.policy.OutboundDecision;
import org.smimegw.mailets.policy.PolicyCheck;
import org.smimegw.mailets.policy.PolicyStatus;
import org.smimegw.mailets.policy.enforce.PolicyDecisionLog;

/**
 * The S/MIME policy at RCPT TO: for outbound mail (internal sender) whose pair policy requires signing or
 * encryption, the answer is known before DATA — a sender without a usable key, a recipient without a usable
 * certificate, or no allowed algorithm is refused ({@link PolicyStatus#REFUSED}: {@code 550 5.7.1 <reason>}); a
 * certificate directory (or CRL) that cannot be asked is deferred ({@link PolicyStatus#DEFERRED}:
 * {@code 451 4.4.3 <reason>}), so the client retries and nothing is downgraded.
 * Pairs that require nothing are accepted without a lookup; everything else is left to the pipeline's
 * {@code EnforceOutboundPolicy}, which decides again with the message in hand. Only refusals and deferrals are
 * logged and counted here ({@code policy.decision.<setting>.<outcome>}): those recipients never reach the pipeline.
 */
public final class PolicyRecipientCheck implements RecipientPolicyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRecipientCheck.class);

    private final PolicyCheck check;
    private final PolicyDecisionLog decisionLog;

    public PolicyRecipientCheck(PolicyCheck check, PolicyDecisionLog decisionLog) {
        this.check = check;
        this.decisionLog = decisionLog;
    }

    @Override
    public Optional<SmtpRejection> check(SmtpSessionInfo session, String sender, String recipient) {
        if (sender == null || sender.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (check.direction(sender, recipient).orElse(null) != MailDirection.OUTBOUND) {
                return Optional.empty();
            }
            EffectivePolicy p = check.effective(sender, recipient);
            if (!p.requireSigned() && !p.requireEncrypted()) {
                return Optional.empty();
            }
            OutboundDecision d = check.outbound(sender, recipient);
            if (d instanceof OutboundDecision.Refuse || d instanceof OutboundDecision.Defer) {
                decisionLog.record("rcpt", sender, recipient, d.setting(), d.outcome(), d.reason());
                PolicyStatus status = d instanceof OutboundDecision.Refuse ? PolicyStatus.REFUSED
                        : PolicyStatus.DEFERRED;
                return Optional.of(new SmtpRejection(status.permanent(), status.enhancedStatus(), oneLine(d.reason())));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            // the pipeline enforces again; a bug here must not stop all mail
            LOG.warn("policy check at RCPT failed for <{}> -> <{}>, left to the pipeline: {}", sender, recipient,
                    e.toString());
            return Optional.empty();
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }
}
