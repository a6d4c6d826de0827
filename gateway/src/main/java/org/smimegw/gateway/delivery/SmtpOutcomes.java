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
 * Turns what the Angus SMTP transport reports (with {@code mail.smtp.reportsuccess} and {@code sendpartial} set, it
 * always throws: a chain of per-RCPT {@link SMTPAddressSucceededException}/{@link SMTPAddressFailedException} under
 * an {@link SMTPSendFailedException} carrying the final reply) into one {@link RecipientResult} per recipient.
 */
final class SmtpOutcomes {
    private SmtpOutcomes() {
    }

    private record Reply(int code, String text) {
    }

    /** Results after {@code sendMessage} threw a {@link SendFailedException} (the normal path with reportsuccess). */
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

    /** Results when the transaction broke off without SMTP replies (connect, TLS, AUTH, I/O): all deferred. */
    static List<RecipientResult> fromConnectionFailure(List<String> recipients, DeliveryConfig.Route route,
                                                       MessagingException e) {
        String status = statusFor(e);
        String reason = route.hostAndPort() + ": " + describe(e);
        return recipients.stream().map(r -> RecipientResult.deferred(r, status, reason)).toList();
    }

    /** True if the connection is still in a known state after this failure and may carry the next message. */
    static boolean connectionReusable(SendFailedException e) {
        return !(e instanceof SMTPSendFailedException s) || s.getReturnCode() != 421;
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
