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
import org.smimegw.gateway.delivery.DsnMailBouncer;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.container.MailEnvelopes;
import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.delivery.DsnFactory;
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
    private final DsnMailBouncer dsns;
    private final Clock clock;

    public SpoolPolicyActions(Spool spool, DsnFactory dsnFactory, String reportingMta, Clock clock,
                              Consumer<SpoolEntry> toPipeline) {
        this.spool = spool;
        this.dsns = new DsnMailBouncer(spool, dsnFactory, reportingMta, clock, toPipeline);
        this.clock = clock;
    }

    @Override
    public void refuse(Mail mail, Collection<MailAddress> recipients, String status, String reason)
            throws MessagingException {
        dsns.report(mail, recipients, status, reason, "policy DSN");
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
            entry = spool.store(SpoolArea.QUARANTINE, MailEnvelopes.of(mail, recipients, clock.instant(), attributes),
                    mail.getMessage());
        } catch (SpoolException e) {
            throw new MessagingException("cannot store mail " + mail.getName() + " in the quarantine: "
                    + e.getMessage(), e);
        }
        LOG.warn("quarantined mail {} for {} as {}: {}", mail.getName(), kept, entry.id(), oneLine);
    }
}
