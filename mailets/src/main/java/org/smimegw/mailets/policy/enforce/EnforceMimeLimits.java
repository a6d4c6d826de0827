package org.smimegw.mailets.policy.enforce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

import org.smimegw.mailets.SmimeAttributes;
import org.smimegw.mailets.SmimeHeaders;
import org.smimegw.mailets.crypto.VerificationStatus;
import org.smimegw.mailets.mime.MimeLimits;
import org.smimegw.mailets.policy.EffectivePolicy;
import org.smimegw.mailets.policy.InboundDecision;
import org.smimegw.mailets.policy.InboundMessageFacts;
import org.smimegw.mailets.policy.InboundViolationAction;
import org.smimegw.mailets.policy.MailDirection;
import org.smimegw.mailets.policy.PolicyCheck;

/**
 * Gives a mail whose MIME structure exceeds the gateway's {@link MimeLimits} (nesting depth, number of parts, header
 * size) a verdict before any mailet parses it: nothing below may recurse or allocate without bound on it. Put it
 * first in {@code root} (and after {@code SMIMEDecrypt}, whose result is new content). Within the limits it does
 * nothing. Over them, per recipient:
 * <ul>
 *   <li><b>inbound</b> (internal recipient): the recipient's policy decides as for a mail whose signature is
 *       {@code malformed}: where it requires signed or encrypted mail, the mail is rejected (DSN) or quarantined as
 *       its {@code InboundViolationAction} says; otherwise it is delivered untouched (no decryption, no verification)
 *       with {@code X-SMIME-Status: malformed} and the reason in {@code X-SMIME-Reason} (forged {@code X-SMIME-*}
 *       headers removed). A mail released from the quarantine is delivered;</li>
 *   <li><b>outbound</b> (internal sender): where the policy requires signed or encrypted mail for the pair, refused
 *       with a DSN ({@value #STATUS} and the reason), never sent in clear; otherwise sent on unchanged, unsigned (as
 *       for a sender without a key);</li>
 *   <li>neither (relay): sent on unchanged.</li>
 * </ul>
 * What is sent on goes to {@code processor} (default {@code transport}). Counter {@code mime.limits.exceeded}.
 */
public class EnforceMimeLimits extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(EnforceMimeLimits.class);
    /** RFC 3463: something about the content made the message undeliverable. */
    static final String STATUS = "5.6.0";

    private final MimeLimits limits;
    private final PolicyCheck check;
    private final PolicyActions actions;
    private final PolicyDecisionLog decisionLog;
    private final Counter exceeded;
    private String processor;

    @Inject
    public EnforceMimeLimits(MimeLimits limits, PolicyCheck check, PolicyActions actions, MetricRegistry metrics) {
        this.limits = limits;
        this.check = check;
        this.actions = actions;
        this.decisionLog = new PolicyDecisionLog(metrics);
        this.exceeded = metrics.counter("mime.limits.exceeded");
    }

    @Override
    public void init() throws MessagingException {
        processor = new EnforceParameters(this, getAllowedInitParameters()).string("processor", "transport");
    }

    public Set<String> getAllowedInitParameters() {
        return Set.of("processor");
    }

    @Override
    public String getMailetInfo() {
        return "Verdict for mail whose MIME structure exceeds the gateway's limits (depth, parts, header size)";
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> over;
        try {
            over = limits.check(mail.getMessage());
        } catch (IOException e) {
            throw new MessagingException("cannot read the message to check its MIME structure: " + e.getMessage(), e);
        }
        if (over.isEmpty()) {
            return;
        }
        exceeded.inc();
        String reason = "message structure exceeds the gateway's limits: " + over.get();
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        boolean released = mail.getAttribute(AttributeName.of(PolicyActions.RELEASED)).isPresent();
        InboundMessageFacts facts = null;
        List<MailAddress> inbound = new ArrayList<>();
        List<MailAddress> unchanged = new ArrayList<>();
        List<MailAddress> refused = new ArrayList<>();
        Map<String, List<MailAddress>> rejected = new LinkedHashMap<>();
        Map<String, List<MailAddress>> quarantined = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            String r = recipient.asString();
            Optional<MailDirection> direction;
            try {
                direction = check.direction(sender, r);
                if (direction.orElse(null) == MailDirection.INBOUND && !released) {
                    facts = facts != null ? facts : facts(mail, reason);
                    InboundDecision d = check.inbound(sender, r, facts);
                    decisionLog.record("inbound", sender, r, d.setting(), d.outcome(), d.reason());
                    if (d instanceof InboundDecision.Violation v) {
                        (v.action() == InboundViolationAction.Reject ? rejected : quarantined)
                                .computeIfAbsent(v.reason(), k -> new ArrayList<>()).add(recipient);
                        continue;
                    }
                } else if (direction.orElse(null) == MailDirection.OUTBOUND
                        && requiresSmime(check.effective(sender, r))) {
                    decisionLog.record("outbound", sender, r, "MimeLimits", "refused", reason);
                    refused.add(recipient);
                    continue;
                }
            } catch (RuntimeException e) {
                throw new MessagingException("policy check failed for " + sender + " -> " + r + " (retried): "
                        + e.getMessage(), e);
            }
            (direction.orElse(null) == MailDirection.INBOUND ? inbound : unchanged).add(recipient);
        }
        for (Map.Entry<String, List<MailAddress>> q : quarantined.entrySet()) {
            actions.quarantine(mail, q.getValue(), q.getKey());
        }
        for (Map.Entry<String, List<MailAddress>> r : rejected.entrySet()) {
            actions.refuse(mail, r.getValue(), STATUS, r.getKey());
        }
        if (!refused.isEmpty()) {
            actions.refuse(mail, refused, STATUS, "not sent: the S/MIME policy requires signed or encrypted mail "
                    + "to this recipient, and the " + reason);
        }
        LOG.warn("{}: delivered untouched to {} inbound and {} other recipient(s), refused for {}, quarantined for {}",
                reason, inbound.size(), unchanged.size(), refused.size() + count(rejected), count(quarantined));
        if (!unchanged.isEmpty() && !inbound.isEmpty()) {
            Mail copy = mail.duplicate(); // the verdict headers are for the inbound recipients only
            copy.setRecipients(unchanged);
            getMailetContext().sendMail(copy, processor);
        } else if (!unchanged.isEmpty()) {
            mail.setRecipients(unchanged);
            mail.setState(processor);
            return;
        }
        if (inbound.isEmpty()) {
            mail.setState(Mail.GHOST);
            return;
        }
        mail.setRecipients(inbound);
        SmimeHeaders.strip(mail.getMessage());
        SmimeAttributes.set(mail, SmimeAttributes.STATUS, VerificationStatus.MALFORMED.value());
        SmimeAttributes.set(mail, SmimeAttributes.REASON, reason);
        SmimeHeaders.write(mail);
        mail.setState(processor);
    }

    /**
     * The facts the inbound policy judges: a signature not verified (malformed, with the reason); the encryption as
     * {@code SMIMEDecrypt} found it, or as the mail arrived when it ran before that.
     */
    private static InboundMessageFacts facts(Mail mail, String reason) throws MessagingException {
        return new InboundMessageFacts(new InboundMessageFacts.Signature.Invalid(
                VerificationStatus.MALFORMED.value() + ": " + reason), EnforceInboundPolicy.facts(mail).encryption());
    }

    private static boolean requiresSmime(EffectivePolicy policy) {
        return policy.requireSigned() || policy.requireEncrypted();
    }

    private static int count(Map<String, List<MailAddress>> byReason) {
        return byReason.values().stream().mapToInt(List::size).sum();
    }
}
