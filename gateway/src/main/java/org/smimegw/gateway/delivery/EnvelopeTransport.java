package org.smimegw.gateway.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;

import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.EnvelopeParameters;

/**
 * The Angus SMTP transport sending a message with its envelope's parameters, as far as the next hop announces them
 * in its EHLO reply:
 * <ul>
 *   <li>{@code BODY=8BITMIME} when the client declared it and the next hop announces 8BITMIME (RFC 6152);</li>
 *   <li>with DSN announced (RFC 3461 section 4), {@code RET} and {@code ENVID} on MAIL FROM and each recipient's own
 *       {@code NOTIFY} and {@code ORCPT} on its RCPT TO, as the client gave them.</li>
 * </ul>
 * Angus puts one NOTIFY on every RCPT TO; per-recipient parameters are appended here in {@link #sendCommand}, the
 * protected method every RCPT TO command passes through.
 */
final class EnvelopeTransport extends SMTPTransport {
    private static final String DSN = "DSN";

    /** "RCPT TO:&lt;address&gt;" as Angus writes it → the parameters to append, for the message being sent. */
    private Map<String, String> rcptParameters = Map.of();
    /** True once the next hop accepted MAIL FROM of the message being sent. */
    private boolean transactionStarted;

    EnvelopeTransport(Session session, URLName url) {
        super(session, url);
    }

    /**
     * Whether the last {@link #send} got as far as an accepted MAIL FROM. A pooled connection that failed before that
     * (broken pipe, EOF, a 421 the server sent when it closed the idle connection) carried nothing of the message:
     * the message is sent again at once on a new connection, as Postfix does.
     */
    boolean transactionStarted() {
        return transactionStarted;
    }

    @Override
    protected void mailFrom() throws MessagingException {
        super.mailFrom();
        transactionStarted = true;
    }

    /** True when the next hop announced DSN: it gets the DSN parameters and answers for notifications. */
    boolean announcesDsn() {
        return supportsExtension(DSN);
    }

    /**
     * Sends {@code message} from the envelope's sender ({@link SMTPMessage#getEnvelopeFrom()}) to {@code to}, the
     * addresses of {@code recipients} in the same order, with the envelope's parameters.
     */
    void send(SMTPMessage message, Envelope envelope, List<String> recipients, InternetAddress[] to)
            throws MessagingException {
        boolean dsn = announcesDsn();
        List<String> mail = new ArrayList<>(3);
        if (EnvelopeParameters.is8BitMime(envelope) && supportsExtension("8BITMIME")) {
            mail.add(EnvelopeParameters.BODY + "=8BITMIME");
        }
        Map<String, String> rcpt = new HashMap<>();
        if (dsn) {
            for (String keyword : List.of(EnvelopeParameters.RET, EnvelopeParameters.ENVID)) {
                String value = envelope.mailParameters().get(keyword);
                if (value != null) {
                    mail.add(keyword + "=" + value);
                }
            }
            for (int i = 0; i < to.length; i++) {
                StringBuilder suffix = new StringBuilder();
                Map<String, String> own = envelope.parametersOf(recipients.get(i));
                for (String keyword : List.of(EnvelopeParameters.NOTIFY, EnvelopeParameters.ORCPT)) {
                    String value = own.get(keyword);
                    if (value != null) {
                        suffix.append(' ').append(keyword).append('=').append(value);
                    }
                }
                if (!suffix.isEmpty()) {
                    rcpt.put("RCPT TO:<" + to[i].getAddress() + ">", suffix.toString());
                }
            }
        }
        message.setMailExtension(mail.isEmpty() ? null : String.join(" ", mail));
        rcptParameters = rcpt;
        transactionStarted = false;
        try {
            sendMessage(message, to);
        } finally {
            rcptParameters = Map.of();
        }
    }

    @Override
    protected void sendCommand(String cmd) throws MessagingException {
        String parameters = rcptParameters.isEmpty() ? null : rcptParameters.get(cmd);
        super.sendCommand(parameters == null ? cmd : cmd + parameters);
    }
}
