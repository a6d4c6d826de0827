package org.smimegw.gateway.delivery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What happened to one recipient in one delivery attempt.
 *
 * @param recipient  the envelope recipient
 * @param outcome    delivered, deferred (retry later) or failed (permanent)
 * @param status     RFC 3463 enhanced status code, e.g. 2.0.0, 4.4.1, 5.1.1
 * @param diagnostic the server's reply or a description of the local problem, one line
 * @param nextHopDsn true when the next hop announced DSN and so got the recipient's DSN parameters (RFC 3461
 *                   section 4): for a delivered recipient, the next hop sends any further notification
 */
public record RecipientResult(String recipient, Outcome outcome, String status, String diagnostic,
                              boolean nextHopDsn) {

    public enum Outcome { DELIVERED, DEFERRED, FAILED }

    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    public RecipientResult {
        diagnostic = oneLine(diagnostic);
    }

    /** A result from a next hop without DSN, or from no next hop at all. */
    public RecipientResult(String recipient, Outcome outcome, String status, String diagnostic) {
        this(recipient, outcome, status, diagnostic, false);
    }

    /** This result from a next hop that announced DSN. */
    RecipientResult fromNextHopWithDsn() {
        return new RecipientResult(recipient, outcome, status, diagnostic, true);
    }

    /** Classifies an SMTP reply (code and full reply text) for a recipient. */
    public static RecipientResult fromReply(String recipient, int code, String reply) {
        String text = reply == null || reply.isBlank() ? String.valueOf(code) : reply.trim();
        Outcome outcome = code >= 200 && code < 300 ? Outcome.DELIVERED
                : code >= 500 && code < 600 ? Outcome.FAILED : Outcome.DEFERRED;
        Matcher m = ENHANCED.matcher(text);
        String status;
        if (m.find() && m.group(1).charAt(0) == Character.forDigit(code / 100, 10)) {
            status = m.group(1);
        } else {
            status = switch (outcome) {
                case DELIVERED -> "2.0.0";
                case FAILED -> "5.0.0";
                case DEFERRED -> "4.0.0";
            };
        }
        return new RecipientResult(recipient, outcome, status, text);
    }

    public static RecipientResult deferred(String recipient, String status, String reason) {
        return new RecipientResult(recipient, Outcome.DEFERRED, status, reason);
    }

    public static RecipientResult failed(String recipient, String status, String reason) {
        return new RecipientResult(recipient, Outcome.FAILED, status, reason);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 500));
        for (int i = 0; i < s.length() && b.length() < 500; i++) {
            char c = s.charAt(i);
            c = c < 0x20 || c > 0x7e ? ' ' : c;
            if (c != ' ' || (!b.isEmpty() && b.charAt(b.length() - 1) != ' ')) { // no runs of spaces, none leading
                b.append(c);
            }
        }
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == ' ') {
            end--;
        }
        return b.substring(0, end);
    }
}
