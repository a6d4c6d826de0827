package org.smimegw.gateway.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

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

import org.smimegw.gateway.spool.Envelope;

/**
 * Builds RFC 3464 delivery status notifications: {@code multipart/report; report-type=delivery-status} with a
 * human-readable part, a {@code message/delivery-status} part (one block per failed recipient) and the original
 * message's headers as {@code text/rfc822-headers}. Used by delivery for bounces and by policy for refusals.
 * The DSN is addressed to the original envelope sender and must be sent with the null sender {@code <>}.
 */
public final class DsnFactory {

    /**
     * One recipient the report is about.
     *
     * @param recipient  the original envelope recipient
     * @param status     RFC 3463 status, e.g. 5.1.1 (user unknown), 5.7.1 (refused by policy), 5.4.7 (expired)
     * @param diagnostic the remote server's reply (starting with its 3-digit code) or a local explanation
     */
    public record FailedRecipient(String recipient, String status, String diagnostic) {
        public FailedRecipient {
            Objects.requireNonNull(recipient, "recipient");
            if (status == null || !status.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
                throw new IllegalArgumentException("not an RFC 3463 status code: " + status);
            }
            diagnostic = RecipientResult.oneLine(diagnostic);
        }
    }

    private final Clock clock;
    private final Session session = Session.getInstance(new java.util.Properties());

    public DsnFactory(Clock clock) {
        this.clock = clock;
    }

    /** A DSN about {@code original}, whose headers are copied from the (file-backed) message. */
    public MimeMessage create(Envelope original, MimeMessage originalMessage, List<FailedRecipient> failures,
                              String reportingMta) throws MessagingException {
        return create(original, originalMessage.getAllHeaderLines(), failures, reportingMta);
    }

    /**
     * A DSN about the message with the given envelope and header lines.
     *
     * @throws IllegalArgumentException for a null-sender envelope (never bounce a bounce) or no failures
     */
    public MimeMessage create(Envelope original, Enumeration<String> originalHeaderLines,
                              List<FailedRecipient> failures, String reportingMta) throws MessagingException {
        if (original.hasNullSender()) {
            throw new IllegalArgumentException("no DSN for a message with the null sender <>");
        }
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a DSN needs at least one failed recipient");
        }
        MailDateFormat dates = new MailDateFormat();
        Date now = Date.from(clock.instant());

        MimeMessage dsn = new MimeMessage(session);
        dsn.setFrom(new InternetAddress("Mail Delivery System <MAILER-DAEMON@" + reportingMta + ">"));
        dsn.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(original.sender(), false));
        dsn.setSubject("Undelivered Mail Returned to Sender");
        dsn.setSentDate(now);
        dsn.setHeader("Auto-Submitted", "auto-replied");

        ReportMultipart report = new ReportMultipart();
        report.addBodyPart(humanPart(failures, reportingMta));
        report.addBodyPart(statusPart(original, failures, reportingMta, dates, now));
        report.addBodyPart(headersPart(originalHeaderLines));
        dsn.setContent(report);
        dsn.saveChanges();
        return dsn;
    }

    private static MimeBodyPart humanPart(List<FailedRecipient> failures, String reportingMta)
            throws MessagingException {
        StringBuilder text = new StringBuilder()
                .append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n")
                .append("Your message could not be delivered to one or more recipients.\r\n")
                .append("The details are in the delivery status report below.\r\n\r\n");
        for (FailedRecipient f : failures) {
            text.append("<").append(f.recipient()).append(">: ").append(f.diagnostic()).append("\r\n");
        }
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text.toString(), "UTF-8");
        part.setHeader("Content-Description", "Notification");
        return part;
    }

    private static MimeBodyPart statusPart(Envelope original, List<FailedRecipient> failures, String reportingMta,
                                           MailDateFormat dates, Date now) throws MessagingException {
        StringBuilder s = new StringBuilder();
        s.append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n");
        String envId = original.mailParameters().get("ENVID");
        if (envId != null) {
            s.append("Original-Envelope-Id: ").append(RecipientResult.oneLine(envId)).append("\r\n");
        }
        if (original.receivedAt() != null) {
            s.append("Arrival-Date: ").append(dates.format(Date.from(original.receivedAt()))).append("\r\n");
        }
        for (FailedRecipient f : failures) {
            s.append("\r\n");
            s.append("Final-Recipient: rfc822; ").append(RecipientResult.oneLine(f.recipient())).append("\r\n");
            s.append("Action: failed\r\n");
            s.append("Status: ").append(f.status()).append("\r\n");
            s.append("Diagnostic-Code: ").append(diagnosticType(f.diagnostic())).append("; ")
                    .append(f.diagnostic()).append("\r\n");
            s.append("Last-Attempt-Date: ").append(dates.format(now)).append("\r\n");
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
