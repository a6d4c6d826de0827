package org.smimegw.mailets.policy;

import java.util.List;
import java.util.stream.Collectors;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/**
 * The text of {@code policy explain --from A --to B}: the direction, every effective setting for the pair with where
 * it came from, conflicts between the two sides, and what would happen to such a mail now (which key and
 * certificate, which algorithms, sign / encrypt / refuse / defer and why). For inbound pairs, the outcome for the
 * kinds of message that can arrive (unsigned, signed by a trusted or an untrusted signer, encrypted).
 */
public final class PolicyExplainer {

    private static final int NAME_WIDTH = 50;
    private static final int VALUE_WIDTH = 32;

    private final PolicyProvider policy;
    private final PolicyFacts facts;
    private final PolicyDecisions decisions;

    public PolicyExplainer(PolicyProvider policy, PolicyFacts facts, PolicyDecisions decisions) {
        this.policy = policy;
        this.facts = facts;
        this.decisions = decisions;
    }

    public String explain(String from, String to) {
        PolicySet set = policy.current();
        String sender = PolicySet.normalize(from);
        String recipient = PolicySet.normalize(to);
        StringBuilder out = new StringBuilder();
        out.append("Policy for mail from ").append(sender.isEmpty() ? "<>" : sender).append(" to ").append(recipient)
                .append('\n');
        boolean senderInternal = facts.isInternal(sender);
        boolean recipientInternal = facts.isInternal(recipient);
        MailDirection direction;
        if (senderInternal) {
            direction = MailDirection.OUTBOUND;
            out.append("Direction: outbound (the gateway signs and encrypts for ").append(sender).append(")\n");
        } else if (recipientInternal) {
            direction = MailDirection.INBOUND;
            out.append("Direction: inbound (the gateway decrypts and checks for ").append(recipient).append(")\n");
        } else {
            out.append("Neither address is internal: the gateway does not relay such mail.\n");
            return out.toString();
        }
        out.append("Policy file: ").append(set.file()).append('\n');
        EffectivePolicy p = set.resolve(direction, sender, recipient);

        out.append("\nEffective settings (").append(sender.isEmpty() ? "<>" : sender).append(" sending, ")
                .append(recipient).append(" receiving):\n");
        for (EffectiveSetting<?> s : p.all()) {
            out.append("  ").append(pad(s.setting().name(), NAME_WIDTH)).append(pad(s.formattedValue(), VALUE_WIDTH))
                    .append(s.describeOrigins()).append('\n');
        }
        if (!p.conflicts().isEmpty()) {
            out.append("\nConflicts between the two sides:\n");
            for (PolicyConflict c : p.conflicts()) {
                out.append("  ").append(c.setting().name()).append(": ").append(c.reason()).append('\n');
            }
        }
        out.append("\nWhat would happen now:\n");
        if (direction == MailDirection.OUTBOUND) {
            explainOutbound(out, p);
        } else {
            explainInbound(out, p);
        }
        return out.toString();
    }

    private void explainOutbound(StringBuilder out, EffectivePolicy p) {
        SigningKeyFact key = facts.signingKey(p.sender());
        RecipientCertificateFact cert = facts.recipientCertificate(p.recipient());
        line(out, "signing key", switch (key) {
            case SigningKeyFact.Usable u -> u.certificate() + " (" + storage(u.storage()) + ")";
            case SigningKeyFact.Missing m -> "none: " + m.reason();
        });
        line(out, "recipient certificate", switch (cert) {
            case RecipientCertificateFact.Valid v -> v.certificate() + "; announces "
                    + capabilities(v.capabilities()) + revocation(v.revocation());
            case RecipientCertificateFact.None n -> "none: " + n.reason();
            case RecipientCertificateFact.DirectoryUnavailable d -> "unknown, directory unavailable: " + d.reason();
        });
        OutboundDecision d = decisions.decideOutbound(p, key, cert);
        switch (d) {
            case OutboundDecision.Send send -> {
                line(out, "sign", send.signing().map(s -> s.digest() + ", " + (s.clearSign() ? "clear-signed"
                                : "opaque") + ", " + s.chain().description()
                                + (s.capabilitiesToAnnounce().isEmpty() ? "" : ", announcing "
                                + s.capabilitiesToAnnounce().stream().map(Object::toString)
                                .collect(Collectors.joining(" ")))
                                + " - because " + s.why())
                        .orElse("no"));
                line(out, "encrypt", send.encryption().map(e -> e.algorithm()
                                + (e.algorithm().authenticated() ? " (AuthEnvelopedData)" : "")
                                + (e.useKeyIdentifier() ? ", recipient by key identifier" : "")
                                + " - " + e.why())
                        .orElse("no"));
                if (send.tripleWrap()) {
                    line(out, "triple wrap", "yes (signed, encrypted, signed again)");
                }
                send.headerProtection().ifPresent(hp -> line(out, "header protection", "RFC 9788, hp=\"" + hp.value()
                        + "\"" + (hp == org.smimegw.mailets.crypto.HeaderProtection.Mode.CIPHER
                                ? ", outer Subject [...]" : "")));
                for (String note : send.notes()) {
                    line(out, "note", note);
                }
                line(out, "outcome", "SEND, " + send.reason());
            }
            case OutboundDecision.Refuse r -> line(out, "outcome", "REFUSE " + r.smtpReply());
            case OutboundDecision.Defer f -> line(out, "outcome", "DEFER " + f.smtpReply());
        }
    }

    private void explainInbound(StringBuilder out, EffectivePolicy p) {
        if (!p.requireSigned() && !p.requireEncrypted()) {
            line(out, "outcome", "ACCEPT any message: policy requires neither signed nor encrypted mail for "
                    + p.recipient());
            return;
        }
        DigestAlgorithm digest = p.signingAlgorithms().isEmpty() ? DigestAlgorithm.SHA256 : p.signingAlgorithms().get(0);
        EncryptionAlgorithm cipher = p.encryptionAlgorithms().isEmpty() ? EncryptionAlgorithm.AES256
                : p.encryptionAlgorithms().get(0);
        CertificateSummary signer = new CertificateSummary("any signer", "-", "-");
        var clear = new InboundMessageFacts.Encryption.NotEncrypted();
        var encrypted = new InboundMessageFacts.Encryption.Encrypted(cipher.oid().getId(), cipher.keyBits());
        var trusted = new InboundMessageFacts.Signature.Verified(signer, digest.oid().getId());
        inbound(out, p, "unsigned, in clear", new InboundMessageFacts(new InboundMessageFacts.Signature.Unsigned(), clear));
        inbound(out, p, "signed (" + digest + ") by a trusted CA, in clear", new InboundMessageFacts(trusted, clear));
        inbound(out, p, "signed by an untrusted signer", new InboundMessageFacts(
                new InboundMessageFacts.Signature.Untrusted(signer, "no path to a trusted CA"), clear));
        inbound(out, p, "signature does not verify", new InboundMessageFacts(
                new InboundMessageFacts.Signature.Invalid("message digest mismatch"), clear));
        inbound(out, p, "signed by a trusted CA, encrypted (" + cipher + ")", new InboundMessageFacts(trusted, encrypted));
    }

    private void inbound(StringBuilder out, EffectivePolicy p, String kind, InboundMessageFacts message) {
        InboundDecision d = decisions.decideInbound(p, message);
        String outcome = switch (d) {
            case InboundDecision.Accept a -> "ACCEPT";
            case InboundDecision.Violation v -> v.action() == InboundViolationAction.Reject
                    ? "REJECT " + v.smtpReply() : "QUARANTINE: " + v.reason();
        };
        line(out, kind, outcome);
    }

    private static String storage(KeyStorage storage) {
        return storage == KeyStorage.HARDWARE ? "hardware token" : "software keystore";
    }

    private static String capabilities(SmimeCapabilities caps) {
        List<String> names = EncryptionNegotiator.announced(caps).stream().map(EncryptionAlgorithm::policyName).toList();
        return names.isEmpty() ? "no encryption capabilities" : String.join(", ", names);
    }

    private static String revocation(RevocationStatus status) {
        return switch (status) {
            case GOOD -> "; not revoked";
            case UNKNOWN -> "; revocation status unknown (CRL unreachable)";
            case NOT_CHECKED -> "; revocation not checked";
        };
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append("  ").append(pad(label + ":", 24)).append(text).append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
