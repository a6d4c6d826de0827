package org.smimegw.gateway.policy;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.delivery.DsnFactory;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;
import org.smimegw.mailets.policy.enforce.PolicyActions;

/**
 * {@link PolicyActions} on the gateway's spool: a refusal is an RFC 3464 report from delivery's {@link DsnFactory}
 * (status per recipient, e.g. 5.7.1, and the policy's reason as diagnostic) stored durably in INCOMING with the
 * null sender and handed to the pipeline; a quarantined mail is stored in the QUARANTINE area with the reason in
 * the envelope attributes {@code policy.quarantineReason} and {@code pipeline.lastError}, and the processor it was in.
 */
public final class SpoolPolicyActions implements PolicyActions {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolPolicyActions.class);
    /** Envelope attribute of a quarantined mail: why policy kept it (shared with the quarantine CLI). */
    public static final String REASON = PolicyActions.QUARANTINE_REASON;

    private final Spool spool;
    private final DsnFactory dsnFactory;
    private final String reportingMta;
    private final Clock clock;
    private final Consumer<SpoolEntry> toPipeline;

    public SpoolPolicyActions(Spool spool, DsnFactory dsnFactory, String reportingMta, Clock clock,
                              Consumer<SpoolEntry> toPipeline) {
        this.spool = spool;
        this.dsnFactory = dsnFactory;
        this.reportingMta = reportingMta;
        this.clock = clock;
        this.toPipeline = toPipeline;
    }

    @Override
    public void refuse(Mail mail, Collection<MailAddress> recipients, String status, String reason)
            throws MessagingException {
        List<String> failed = recipients.stream().map(MailAddress::asString).toList();
        if (mail.getMaybeSender().isNullSender()) {
            LOG.info("policy refused {} for mail {} with the null sender; no DSN: {}", failed, mail.getName(), reason);
            return;
        }
        String sender = mail.getMaybeSender().asString();
        Envelope original = envelope(sender, failed, mail, Map.of());
        List<DsnFactory.FailedRecipient> failures = failed.stream()
                .map(r -> new DsnFactory.FailedRecipient(r, status, reason)).toList();
        var dsn = dsnFactory.create(original, mail.getMessage(), failures, reportingMta);
        Envelope dsnEnvelope = new Envelope("", Map.of(), List.of(sender), "127.0.0.1", reportingMta, null,
                clock.instant(), Map.of());
        SpoolEntry entry;
        try {
            entry = spool.store(SpoolArea.INCOMING, dsnEnvelope, dsn);
        } catch (SpoolException e) {
            throw new MessagingException("cannot queue the policy DSN for mail " + mail.getName() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("policy DSN for mail {} ({} recipient(s), {}) queued as {} to=<{}>", mail.getName(), failed.size(),
                status, entry.id(), sender);
        toPipeline.accept(entry);
    }

    @Override
    public void quarantine(Mail mail, Collection<MailAddress> recipients, String reason) throws MessagingException {
        List<String> kept = recipients.stream().map(MailAddress::asString).toList();
        String oneLine = reason.replaceAll("[\\r\\n]+", " ");
        Map<String, String> attributes = new HashMap<>();
        attributes.put(PipelineAttributes.STATE, mail.getState());
        attributes.put(PipelineAttributes.LAST_ERROR, oneLine);
        attributes.put(REASON, oneLine);
        SpoolEntry entry;
        try {
            entry = spool.store(SpoolArea.QUARANTINE,
                    envelope(mail.getMaybeSender().asString(""), kept, mail, attributes), mail.getMessage());
        } catch (SpoolException e) {
            throw new MessagingException("cannot store mail " + mail.getName() + " in the quarantine: "
                    + e.getMessage(), e);
        }
        LOG.warn("quarantined mail {} for {} as {}: {}", mail.getName(), kept, entry.id(), oneLine);
    }

    private Envelope envelope(String sender, List<String> recipients, Mail mail, Map<String, String> attributes) {
        String helo = mail.getAttribute(Mail.SMTP_HELO).map(a -> String.valueOf(a.getValue().value())).orElse("");
        return new Envelope(sender, Map.of(), recipients,
                mail.getRemoteAddr() == null ? "127.0.0.1" : mail.getRemoteAddr(), helo, null, clock.instant(),
                attributes);
    }
}
