package org.smimegw.gateway.delivery;

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
        report(mail, mail.getRecipients().stream().map(MailAddress::asString).toList(), STATUS,
                message == null ? "refused" : message, "bounce");
    }

    /**
     * Queues one RFC 3464 report to the mail's sender naming {@code recipients}, each with {@code status} (e.g.
     * 5.7.1) and {@code diagnostic}: stored durably in INCOMING with the null sender and handed to the pipeline.
     * Nothing is sent for a mail with the null sender (no bounce loops) or without recipients.
     *
     * @param kind what the report is, for the log line ("bounce", "policy DSN")
     */
    public void report(Mail mail, List<String> recipients, String status, String diagnostic, String kind)
            throws MessagingException {
        if (mail.getMaybeSender().isNullSender()) {
            log.info("no {} for mail {} with the null sender ({}): {}", kind, mail.getName(), recipients, diagnostic);
            return;
        }
        if (recipients.isEmpty()) {
            log.info("no {} for mail {} without recipients: {}", kind, mail.getName(), diagnostic);
            return;
        }
        String sender = mail.getMaybeSender().asString();
        String helo = mail.getAttribute(Mail.SMTP_HELO).map(a -> String.valueOf(a.getValue().value())).orElse("");
        Envelope original = new Envelope(sender, Map.of(), recipients,
                mail.getRemoteAddr() == null ? "127.0.0.1" : mail.getRemoteAddr(), helo, null, clock.instant(),
                Map.of());
        List<DsnFactory.FailedRecipient> failures = recipients.stream()
                .map(r -> new DsnFactory.FailedRecipient(r, status, diagnostic)).toList();
        var dsn = dsnFactory.create(original, mail.getMessage(), failures, reportingMta);
        Envelope dsnEnvelope = new Envelope("", Map.of(), List.of(sender), "127.0.0.1", reportingMta, null,
                clock.instant(), Map.of());
        SpoolEntry entry;
        try {
            entry = spool.store(SpoolArea.INCOMING, dsnEnvelope, dsn);
        } catch (SpoolException e) {
            throw new MessagingException("cannot queue the " + kind + " for mail " + mail.getName() + ": "
                    + e.getMessage(), e);
        }
        log.info("{} for mail {} ({} recipient(s), {}) queued as {} to=<{}>", kind, mail.getName(),
                recipients.size(), status, entry.id(), sender);
        injected.accept(entry);
    }
}
