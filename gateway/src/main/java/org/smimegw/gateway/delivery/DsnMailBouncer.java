package org.smimegw.gateway.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.container.MailBouncer;
import org.smimegw.gateway.container.MailEnvelopes;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * Where the gateway's delivery status notifications are queued: {@code MailetContext.bounce}, policy refusals and
 * delivery's failed, delayed and relayed recipients all become an RFC 3464 report ({@link DsnFactory}, which obeys
 * the original envelope's NOTIFY, RET, ENVID and ORCPT), stored durably in INCOMING with the null sender so it runs
 * through the pipeline like any mail. A mail with the null sender is never reported on (no bounce loops).
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
        report(mail, mail.getRecipients(), STATUS, message == null ? "refused" : message, "bounce");
    }

    /**
     * Queues one RFC 3464 report to the mail's sender that {@code recipients} failed, each with {@code status} (e.g.
     * 5.7.1) and {@code diagnostic}. Nothing is sent for a mail with the null sender, without recipients, or whose
     * recipients asked not to be told of failures (NOTIFY).
     *
     * @param kind what the report is, for the log line ("bounce", "policy DSN")
     */
    public void report(Mail mail, Collection<MailAddress> recipients, String status, String diagnostic, String kind)
            throws MessagingException {
        if (recipients.isEmpty()) {
            log.info("no {} for mail {} without recipients: {}", kind, mail.getName(), diagnostic);
            return;
        }
        Instant receivedAt = mail.getLastUpdated() != null ? mail.getLastUpdated().toInstant() : clock.instant();
        Envelope original = MailEnvelopes.of(mail, recipients, receivedAt, Map.of());
        try {
            reportFailed(original, mail.getMessage(), status, diagnostic, kind + " for mail " + mail.getName());
        } catch (SpoolException e) {
            throw new MessagingException("cannot queue the " + kind + " for mail " + mail.getName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Queues one RFC 3464 report to the sender of {@code original} that every one of its recipients failed with
     * {@code status} and {@code diagnostic} (as {@link #report}, for a stored envelope: an administrator's bounce of a
     * spool entry).
     *
     * @param what what the report is about, for the log line
     * @return the stored report, empty when none was due (null sender, NOTIFY)
     */
    public Optional<SpoolEntry> reportFailed(Envelope original, MimeMessage message, String status, String diagnostic,
                                             String what) throws SpoolException, MessagingException {
        return queue(original, message, original.recipients().stream()
                .map(r -> DsnFactory.ReportedRecipient.failed(r, status, diagnostic)).toList(), what);
    }

    /**
     * Queues the report about {@code recipients} of the message with envelope {@code original}, when anyone is to
     * be told (see {@link DsnFactory#create}), and hands it to the pipeline.
     *
     * @param what what the report is about, for the log line
     * @return the stored report, empty when none was due
     */
    Optional<SpoolEntry> queue(Envelope original, MimeMessage message, List<DsnFactory.ReportedRecipient> recipients,
                               String what) throws SpoolException, MessagingException {
        Optional<DsnFactory.Dsn> dsn = dsnFactory.create(original, message, recipients, reportingMta);
        if (dsn.isEmpty()) {
            log.debug("no {} ({} recipient(s)): {}", what, recipients.size(), original.hasNullSender()
                    ? "null sender" : "not asked for (NOTIFY)");
            return Optional.empty();
        }
        SpoolEntry entry = spool.store(SpoolArea.INCOMING, dsn.get().envelope(), dsn.get().message());
        log.info("{} ({} recipient(s)) queued as {} to=<{}>", what, recipients.size(), entry.id(), original.sender());
        injected.accept(entry);
        return Optional.of(entry);
    }
}
