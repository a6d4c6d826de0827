package org.smimegw.mailets.policy.enforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.smimegw.mailets.SmimeAttributes;
import org.smimegw.mailets.crypto.DecryptionResult;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.SmimeContentTypes;
import org.smimegw.mailets.policy.CertificateSummary;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.policy.InboundDecision;
import org.smimegw.mailets.policy.InboundMessageFacts;
import org.smimegw.mailets.policy.InboundViolationAction;
import org.smimegw.mailets.policy.MailDirection;
import org.smimegw.mailets.policy.PolicyCheck;
import org.smimegw.mailets.policy.PolicyStatus;

import com.codahale.metrics.MetricRegistry;

/**
 * Enforces the S/MIME policy on inbound mail for internal recipients: put it after {@code SMIMEDecrypt} and
 * {@code SMIMEVerify}, whose result attributes are what it judges (no attributes = unsigned and unencrypted). A
 * recipient whose policy requires signed or encrypted mail that this mail does not meet (unsigned, badly signed,
 * untrusted signer, unencrypted, disallowed algorithm) is removed from the mail and, per its
 * {@code InboundViolationAction}, either refused with a DSN to the sender (5.7.1 and the reason) or kept in the
 * quarantine with the reason ({@link PolicyActions}). Recipients that are not internal (or mail from an internal
 * sender) are left alone; so is a mail released from the quarantine (attribute {@code policy.released}). No
 * parameters.
 */
public class EnforceInboundPolicy extends GenericMailet {

    private static final Pattern DIGEST = Pattern.compile("digest=([A-Za-z0-9-]+)");

    private final PolicyCheck check;
    private final PolicyActions actions;
    private final PolicyDecisionLog decisionLog;

    @Inject
    public EnforceInboundPolicy(PolicyCheck check, PolicyActions actions, MetricRegistry metrics) {
        this.check = check;
        this.actions = actions;
        this.decisionLog = new PolicyDecisionLog(metrics);
    }

    @Override
    public void init() throws MessagingException {
        new EnforceParameters(this, Set.of());
    }

    public Set<String> getAllowedInitParameters() {
        return Set.of();
    }

    @Override
    public String getMailetInfo() {
        return "S/MIME policy enforcement for inbound mail (reject or quarantine what the recipient's policy refuses)";
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        if (mail.getAttribute(AttributeName.of(PolicyActions.RELEASED)).isPresent()) {
            // an administrator released it from the quarantine: deliver, do not quarantine it again
            for (MailAddress r : mail.getRecipients()) {
                decisionLog.record("inbound", sender, r.asString(), "InboundViolationAction", "released",
                        "released from the quarantine by an administrator");
            }
            return;
        }
        InboundMessageFacts facts = facts(mail);
        Map<String, List<MailAddress>> rejected = new LinkedHashMap<>();
        Map<String, List<MailAddress>> quarantined = new LinkedHashMap<>();
        List<MailAddress> keep = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            InboundDecision d;
            try {
                if (check.direction(sender, recipient.asString()).orElse(null) != MailDirection.INBOUND) {
                    keep.add(recipient);
                    continue;
                }
                d = check.inbound(sender, recipient.asString(), facts);
            } catch (RuntimeException e) {
                throw new MessagingException("inbound policy check failed for " + recipient + " (retried): "
                        + e.getMessage(), e);
            }
            decisionLog.record("inbound", sender, recipient.asString(), d.setting(), d.outcome(), d.reason());
            if (d instanceof InboundDecision.Violation v) {
                (v.action() == InboundViolationAction.Reject ? rejected : quarantined)
                        .computeIfAbsent(v.reason(), k -> new ArrayList<>()).add(recipient);
            } else {
                keep.add(recipient);
            }
        }
        for (Map.Entry<String, List<MailAddress>> q : quarantined.entrySet()) {
            actions.quarantine(mail, q.getValue(), q.getKey());
        }
        for (Map.Entry<String, List<MailAddress>> r : rejected.entrySet()) {
            actions.refuse(mail, r.getValue(), PolicyStatus.REFUSED.enhancedStatus(), r.getKey());
        }
        if (keep.size() != mail.getRecipients().size()) {
            if (keep.isEmpty()) {
                mail.setState(Mail.GHOST);
            } else {
                mail.setRecipients(keep);
            }
        }
    }

    /** What SMIMEDecrypt and SMIMEVerify recorded, as the policy's facts. */
    static InboundMessageFacts facts(Mail mail) throws MessagingException {
        String status = SmimeAttributes.get(mail, SmimeAttributes.STATUS).orElse("not-signed");
        String reason = SmimeAttributes.get(mail, SmimeAttributes.REASON).orElse(status);
        String signer = SmimeAttributes.get(mail, SmimeAttributes.SIGNER).orElse("(unknown signer)");
        CertificateSummary signerSummary = new CertificateSummary(signer, "-", "-");
        InboundMessageFacts.Signature signature = switch (status) {
            case "valid" -> new InboundMessageFacts.Signature.Verified(signerSummary, digestOid(mail));
            case "untrusted", "signer-mismatch", "ambiguous-sender" ->
                    new InboundMessageFacts.Signature.Untrusted(signerSummary, status + ": " + reason);
            case "invalid-signature", "malformed" -> new InboundMessageFacts.Signature.Invalid(status + ": " + reason);
            default -> new InboundMessageFacts.Signature.Unsigned();
        };
        InboundMessageFacts.Encryption encryption;
        Optional<String> decryption = SmimeAttributes.get(mail, SmimeAttributes.DECRYPTION);
        Optional<String> algorithm = SmimeAttributes.get(mail, SmimeAttributes.DECRYPTION_ALGORITHM);
        // decrypted here, authenticated or not: it arrived encrypted with the algorithm recorded
        boolean decrypted = decryption.flatMap(DecryptionResult.Status::ofValue)
                .map(DecryptionResult.Status::decrypted).orElse(false);
        if (decrypted && algorithm.isPresent()) {
            encryption = EncryptionAlgorithm.byName(algorithm.get())
                    .map(c -> new InboundMessageFacts.Encryption.Encrypted(c.oid().getId(), c.keyBits()))
                    .orElseGet(() -> new InboundMessageFacts.Encryption.Encrypted(algorithm.get(), 0));
        } else if (decryption.isPresent() || SmimeContentTypes.isEncrypted(mail.getMessage())) {
            // arrived encrypted but not decrypted here: the algorithm is not known to the gateway
            encryption = new InboundMessageFacts.Encryption.Encrypted("(not decrypted: "
                    + decryption.orElse("no decryption attempted") + ")", 0);
        } else {
            encryption = new InboundMessageFacts.Encryption.NotEncrypted();
        }
        return new InboundMessageFacts(signature, encryption);
    }

    private static String digestOid(Mail mail) {
        String algorithms = SmimeAttributes.get(mail, SmimeAttributes.ALGORITHMS).orElse("");
        Matcher m = DIGEST.matcher(algorithms);
        if (m.find()) {
            return DigestAlgorithm.byNameIgnoringCase(m.group(1)).map(d -> d.oid().getId()).orElse(m.group(1));
        }
        return "(unknown digest)";
    }
}
