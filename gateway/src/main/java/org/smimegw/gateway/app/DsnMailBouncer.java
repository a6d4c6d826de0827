package org.smimegw.gateway.app;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.container.MailBouncer;
import org.smimegw.gateway.delivery.DsnFactory;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * {@code MailetContext.bounce}: an RFC 3464 report (delivery's {@link DsnFactory}) to the mail's sender, stored
 * durably in INCOMING with the null sender so it runs through the pipeline like any mail. A mail with the null
 * sender is never bounced (no bounce loops).
 */
public final class DsnMailBouncer implements MailBouncer {
    private static final Logger log = LoggerFactory.getLogger(DsnMailBouncer.class);
    /** RFC 3463 "other or undefined status": a mailet refused the mail, for reasons its message gives. */
    private static final String STATUS = "5.0.0";

    private final Spool spool;
    private final DsnFactory dsnFactory;
    private final String reportingMta;
    private final Clock clock;
    private final Consumer<SpoolEntry> injected;

    public DsnMailBouncer(Spool spool, DsnFactory dsnFactory, String reportingMta, Clock clock,
                          Consumer<SpoolEntry> injected) {
        this.spool = spool;
        this.dsnFactory = dsnFactory;
        this.reportingMta = reportingMta;
        this.clock = clock;
        this.injected = injected;
    }

    @Override
    public void bounce(Mail mail, String message, MailAddress bouncer) throws MessagingException {
        if (mail.getMaybeSender().isNullSender()) {
            log.info("not bouncing mail {} with the null sender: {}", mail.getName(), message);
            return;
        }
        String sender = mail.getMaybeSender().asString();
        List<String> recipients = mail.getRecipients().stream().map(MailAddress::asString).toList();
        if (recipients.isEmpty()) {
            log.info("not bouncing mail {} without recipients: {}", mail.getName(), message);
            return;
        }
        Envelope original = new Envelope(sender, Map.of(), recipients,
                mail.getRemoteAddr() == null ? "127.0.0.1" : mail.getRemoteAddr(),
                mail.getRemoteHost() == null ? "" : mail.getRemoteHost(), null, clock.instant(), Map.of());
        List<DsnFactory.FailedRecipient> failures = recipients.stream()
                .map(r -> new DsnFactory.FailedRecipient(r, STATUS, message == null ? "refused" : message))
                .toList();
        var dsn = dsnFactory.create(original, mail.getMessage(), failures, reportingMta);
        Envelope dsnEnvelope = new Envelope("", Map.of(), List.of(sender), "127.0.0.1", reportingMta, null,
                clock.instant(), Map.of());
        SpoolEntry entry;
        try {
            entry = spool.store(SpoolArea.INCOMING, dsnEnvelope, dsn);
        } catch (SpoolException e) {
            throw new MessagingException("cannot queue the bounce for mail " + mail.getName() + ": "
                    + e.getMessage(), e);
        }
        log.info("bounce for mail {} ({} recipient(s)) queued as {} to=<{}>", mail.getName(), recipients.size(),
                entry.id(), sender);
        injected.accept(entry);
    }
}
