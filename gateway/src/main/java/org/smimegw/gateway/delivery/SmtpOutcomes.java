package org.smimegw.gateway.delivery;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLException;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPAddressSucceededException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Turns what the Angus SMTP transport reports into one {@link RecipientResult} per recipient. The transport runs with
 * {@code mail.smtp.sendpartial=true} and {@code mail.smtp.reportsuccess=false}, so:
 * <ul>
 *   <li>{@code sendMessage} returns normally only if every RCPT was accepted and DATA ended with 2xx: the last
 *       server reply applies to all recipients ({@link #allAccepted}); no exception is built for a success;</li>
 *   <li>some RCPTs refused, the rest accepted: the message goes to the accepted ones and an
 *       {@link SMTPSendFailedException} carries the end-of-DATA reply, chained to one
 *       {@link SMTPAddressFailedException} per refused RCPT (4xx or 5xx, with its reply);</li>
 *   <li>every RCPT refused: a plain {@link SendFailedException} ("Invalid Addresses", after RSET) chained to the
 *       per-RCPT failures;</li>
 *   <li>MAIL FROM or end of DATA refused: an {@link SMTPSendFailedException} with that reply for every recipient.</li>
 * </ul>
 * An {@link SMTPAddressSucceededException} in the chain (should {@code reportsuccess} ever be on) counts as accepted.
 */
final class SmtpOutcomes {
    private SmtpOutcomes() {
    }

    private record Reply(int code, String text) {
    }

    /** Results after {@code sendMessage} returned normally: every recipient accepted with the final reply. */
    static List<RecipientResult> allAccepted(List<String> recipients, String lastReply) {
        List<RecipientResult> results = new ArrayList<>(recipients.size());
        RecipientResult first = null;
        for (String recipient : recipients) {
            if (first == null) {
                first = RecipientResult.fromReply(recipient, 250, lastReply); // the reply is classified once
                results.add(first);
            } else {
                results.add(new RecipientResult(recipient, first.outcome(), first.status(), first.diagnostic()));
            }
        }
        return results;
    }

    /** Results after {@code sendMessage} threw a {@link SendFailedException}: refusals per RCPT, else the last reply. */
    static List<RecipientResult> fromSendFailure(List<String> recipients, SendFailedException top) {
        Map<String, Reply> rcptReplies = new HashMap<>();
        for (Exception e = top; e != null; e = e instanceof MessagingException me ? me.getNextException() : null) {
            if (e instanceof SMTPAddressSucceededException s) {
                rcptReplies.put(key(s.getAddress().getAddress()), new Reply(s.getReturnCode(), s.getMessage()));
            } else if (e instanceof SMTPAddressFailedException f) {
                rcptReplies.put(key(f.getAddress().getAddress()), new Reply(f.getReturnCode(), f.getMessage()));
            }
        }
        Reply last = top instanceof SMTPSendFailedException s ? new Reply(s.getReturnCode(), s.getMessage()) : null;
        List<RecipientResult> results = new ArrayList<>(recipients.size());
        for (String recipient : recipients) {
            Reply rcpt = rcptReplies.get(key(recipient));
            if (rcpt != null && (rcpt.code() < 200 || rcpt.code() >= 300)) {
                results.add(RecipientResult.fromReply(recipient, rcpt.code(), rcpt.text()));   // refused at RCPT
            } else if (last != null && last.code() >= 200) {
                results.add(RecipientResult.fromReply(recipient, last.code(), last.text()));   // end of DATA or MAIL
            } else {
                results.add(RecipientResult.deferred(recipient, "4.4.2",
                        "no final reply from server: " + describe(top)));
            }
        }
        return results;
    }

    /**
     * Results when the transaction broke off without SMTP replies (connect, TLS, AUTH, I/O): all deferred.
     *
     * @param relay the next hop, as logs name it (host:port)
     */
    static List<RecipientResult> fromConnectionFailure(List<String> recipients, String relay, MessagingException e) {
        String status = statusFor(e);
        String reason = relay + ": " + describe(e);
        return recipients.stream().map(r -> RecipientResult.deferred(r, status, reason)).toList();
    }

    /**
     * True if the connection is still in a known state after this failure and may carry the next message: no reply
     * in the chain (final reply or a RCPT reply) was 421, the server's notice that it closes the connection.
     */
    static boolean connectionReusable(SendFailedException e) {
        for (Exception x = e; x != null; x = x instanceof MessagingException me ? me.getNextException() : null) {
            if (x instanceof SMTPSendFailedException s && s.getReturnCode() == 421
                    || x instanceof SMTPAddressFailedException f && f.getReturnCode() == 421) {
                return false;
            }
            if (x instanceof MessagingException me && me.getNextException() == x) {
                break;
            }
        }
        return true;
    }

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e instanceof MessagingException me && me.getNextException() != null
                ? me.getNextException() : e.getCause();
        if (cause != null && cause != e) {
            b.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return b.toString();
    }

    private static String statusFor(MessagingException e) {
        String text = describe(e).toLowerCase(Locale.ROOT);
        for (Throwable t = e; t != null; t = t instanceof MessagingException me && me.getNextException() != null
                ? me.getNextException() : t.getCause()) {
            if (t instanceof SSLException) {
                return "4.7.5";
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return "4.4.1";
            }
            if (t instanceof SocketTimeoutException) {
                return "4.4.2";
            }
            if (t == t.getCause()) {
                break;
            }
        }
        if (text.contains("starttls")) {
            return "4.7.0";
        }
        if (text.contains("auth")) {
            return "4.7.8";
        }
        return "4.4.2";
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
