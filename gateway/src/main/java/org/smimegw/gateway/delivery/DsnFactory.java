package org.smimegw.gateway.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.mailet.DsnParameters.Notify;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.EnvelopeParameters;

/**
 * Builds RFC 3464 delivery status notifications about a message, as its envelope's DSN parameters (RFC 3461) ask:
 * {@code multipart/report; report-type=delivery-status} with a human-readable part, a {@code message/delivery-status}
 * part ({@code Original-Envelope-Id} from ENVID; per recipient {@code Original-Recipient} from ORCPT,
 * {@code Final-Recipient}, {@code Action}, {@code Status}, {@code Diagnostic-Code}) and the original message: the
 * whole of it as {@code message/rfc822} when a recipient failed and the sender asked {@code RET=FULL}, else its
 * headers as {@code text/rfc822-headers}.
 * <p>
 * A recipient is reported only when its NOTIFY asks for that action ({@link EnvelopeParameters#notify}: FAILURE
 * when it gave none, nothing for NEVER); nobody is reported to the null sender. Used by delivery (failed, delayed
 * and relayed recipients) and, through {@link DsnMailBouncer}, by mailets and policy (refused recipients).
 */
public final class DsnFactory {

    /** What happened to a recipient (RFC 3464 section 2.3.3); "delivered" and "expanded" are not the gateway's. */
    public enum Action {
        FAILED(Notify.FAILURE, '5'),
        DELAYED(Notify.DELAY, '4'),
        /** Delivered to a next hop that does not announce DSN (RFC 3461 section 6.2.1). */
        RELAYED(Notify.SUCCESS, '2');

        private final Notify asked;
        private final char statusClass;

        Action(Notify asked, char statusClass) {
            this.asked = asked;
            this.statusClass = statusClass;
        }

        /** The word in the report's {@code Action:} field. */
        String field() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One recipient a report is about.
     *
     * @param recipient      the envelope recipient
     * @param action         failed, delayed or relayed
     * @param status         RFC 3463 status of the action's class, e.g. 5.1.1 (user unknown), 5.7.1 (refused by
     *                       policy), 5.4.7 (expired), 4.2.1 (mailbox busy), 2.0.0
     * @param diagnostic     the remote server's reply (starting with its 3-digit code) or a local explanation
     * @param willRetryUntil for a delayed recipient, when the gateway gives up; null otherwise
     */
    public record ReportedRecipient(String recipient, Action action, String status, String diagnostic,
                                    Instant willRetryUntil) {
        private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

        public ReportedRecipient {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(action, "action");
            if (status == null || !STATUS.matcher(status).matches() || status.charAt(0) != action.statusClass) {
                throw new IllegalArgumentException("not an RFC 3463 status code for " + action.field() + ": " + status);
            }
            diagnostic = RecipientResult.oneLine(diagnostic);
        }

        /** A recipient that failed permanently. */
        public static ReportedRecipient failed(String recipient, String status, String diagnostic) {
            return new ReportedRecipient(recipient, Action.FAILED, status, diagnostic, null);
        }
    }

    /**
     * A notification ready to be stored: its envelope (null sender, to the original sender; {@code BODY=8BITMIME}
     * when it returns an 8-bit message) and the report.
     */
    public record Dsn(Envelope envelope, MimeMessage message) {
    }

    private final Clock clock;
    private final Session session = Session.getInstance(new java.util.Properties());

    public DsnFactory(Clock clock) {
        this.clock = clock;
    }

    /**
     * A DSN about {@code original}, whose headers (or, for {@code RET=FULL}, whole content) are taken from the
     * (file-backed) message; empty when none of {@code recipients} asked to be told about its action, or the original
     * has the null sender (never report on a report).
     *
     * @throws IllegalArgumentException without recipients
     */
    public Optional<Dsn> create(Envelope original, MimeMessage originalMessage, List<ReportedRecipient> recipients,
                                String reportingMta) throws MessagingException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN needs at least one recipient");
        }
        if (original.hasNullSender()) {
            return Optional.empty();
        }
        List<ReportedRecipient> asked = new ArrayList<>(recipients.size());
        for (ReportedRecipient r : recipients) {
            if (EnvelopeParameters.notify(original, r.recipient()).contains(r.action().asked)) {
                asked.add(r);
            }
        }
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        boolean anyFailed = asked.stream().anyMatch(r -> r.action() == Action.FAILED);
        // RET applies to failure reports only; others return the headers (RFC 3461 section 4.3)
        boolean full = anyFailed && EnvelopeParameters.returnsFullMessage(original);
        MailDateFormat dates = new MailDateFormat();
        Date now = Date.from(clock.instant());

        MimeMessage dsn = new MimeMessage(session);
        dsn.setFrom(new InternetAddress("Mail Delivery System <MAILER-DAEMON@" + reportingMta + ">"));
        dsn.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(original.sender(), false));
        dsn.setSubject(anyFailed ? "Undelivered Mail Returned to Sender"
                : asked.stream().anyMatch(r -> r.action() == Action.DELAYED) ? "Delayed Mail (still being retried)"
                : "Successful Mail Delivery Report");
        dsn.setSentDate(now);
        dsn.setHeader("Auto-Submitted", "auto-replied");

        ReportMultipart report = new ReportMultipart();
        report.addBodyPart(humanPart(asked, reportingMta));
        report.addBodyPart(statusPart(original, asked, reportingMta, dates, now));
        report.addBodyPart(full ? messagePart(originalMessage) : headersPart(originalMessage.getAllHeaderLines()));
        dsn.setContent(report);
        dsn.saveChanges();
        Map<String, String> parameters = full && EnvelopeParameters.is8BitMime(original)
                ? Map.of(EnvelopeParameters.BODY, "8BITMIME") : Map.of();
        return Optional.of(new Dsn(new Envelope("", parameters, List.of(original.sender()), "127.0.0.1",
                reportingMta, null, clock.instant(), Map.of()), dsn));
    }

    private static MimeBodyPart humanPart(List<ReportedRecipient> recipients, String reportingMta)
            throws MessagingException {
        StringBuilder text = new StringBuilder()
                .append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n");
        for (Action action : Action.values()) {
            List<ReportedRecipient> these = recipients.stream().filter(r -> r.action() == action).toList();
            if (these.isEmpty()) {
                continue;
            }
            text.append(switch (action) {
                case FAILED -> "Your message could not be delivered to these recipients:\r\n";
                case DELAYED -> "Your message could not be delivered yet to these recipients; the mail system "
                        + "keeps trying:\r\n";
                case RELAYED -> "Your message was passed on to these recipients' mail system, which does not send "
                        + "delivery notifications:\r\n";
            });
            for (ReportedRecipient r : these) {
                text.append("<").append(r.recipient()).append(">: ").append(r.diagnostic()).append("\r\n");
            }
            text.append("\r\n");
        }
        text.append("The details are in the delivery status report below.\r\n");
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text.toString(), "UTF-8");
        part.setHeader("Content-Description", "Notification");
        return part;
    }

    private static MimeBodyPart statusPart(Envelope original, List<ReportedRecipient> recipients, String reportingMta,
                                           MailDateFormat dates, Date now) throws MessagingException {
        StringBuilder s = new StringBuilder();
        s.append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n");
        EnvelopeParameters.envelopeId(original).ifPresent(id ->
                s.append("Original-Envelope-Id: ").append(RecipientResult.oneLine(id)).append("\r\n"));
        if (original.receivedAt() != null) {
            s.append("Arrival-Date: ").append(dates.format(Date.from(original.receivedAt()))).append("\r\n");
        }
        for (ReportedRecipient r : recipients) {
            s.append("\r\n");
            EnvelopeParameters.originalRecipient(original, r.recipient()).ifPresent(orcpt ->
                    s.append("Original-Recipient: ").append(RecipientResult.oneLine(orcpt)).append("\r\n"));
            s.append("Final-Recipient: rfc822; ").append(RecipientResult.oneLine(r.recipient())).append("\r\n");
            s.append("Action: ").append(r.action().field()).append("\r\n");
            s.append("Status: ").append(r.status()).append("\r\n");
            if (!r.diagnostic().isEmpty()) {
                s.append("Diagnostic-Code: ").append(diagnosticType(r.diagnostic())).append("; ")
                        .append(r.diagnostic()).append("\r\n");
            }
            s.append("Last-Attempt-Date: ").append(dates.format(now)).append("\r\n");
            if (r.willRetryUntil() != null) {
                s.append("Will-Retry-Until: ").append(dates.format(Date.from(r.willRetryUntil()))).append("\r\n");
            }
        }
        return bytesPart(s.toString().getBytes(StandardCharsets.US_ASCII), "message/delivery-status",
                "Delivery report");
    }

    private static MimeBodyPart headersPart(Enumeration<String> headerLines) throws MessagingException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        while (headerLines.hasMoreElements()) {
            headers.writeBytes(headerLines.nextElement().getBytes(StandardCharsets.UTF_8));
            headers.writeBytes(new byte[] {'\r', '\n'});
        }
        return bytesPart(headers.toByteArray(), "text/rfc822-headers", "Undelivered Message Headers");
    }

    /** The whole original message, written from its file when the report is stored (not held in memory). */
    private static MimeBodyPart messagePart(MimeMessage original) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setContent(original, "message/rfc822");
        part.setHeader("Content-Type", "message/rfc822");
        part.setHeader("Content-Description", "Undelivered Message");
        return part;
    }

    private static MimeBodyPart bytesPart(byte[] content, String type, String description)
            throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, type)));
        part.setHeader("Content-Type", type);
        part.setHeader("Content-Description", description);
        return part;
    }

    /** "smtp" for a reply from an SMTP server (starts with a reply code), else a local diagnostic type. */
    private static String diagnosticType(String diagnostic) {
        return diagnostic.matches("^[245]\\d\\d([ -].*)?$") ? "smtp" : "X-Smimegw";
    }

    /** multipart/report with the report-type parameter that MimeMultipart alone cannot set. */
    private static final class ReportMultipart extends MimeMultipart {
        ReportMultipart() throws MessagingException {
            super("report");
            try {
                ContentType type = new ContentType(contentType);
                type.setParameter("report-type", "delivery-status");
                contentType = type.toString();
            } catch (ParseException e) {
                throw new MessagingException("cannot build multipart/report content type", e);
            }
        }
    }

    static String mta(String heloName) {
        if (heloName != null && !heloName.isBlank()) {
            return heloName;
        }
        try {
            return java.net.InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
