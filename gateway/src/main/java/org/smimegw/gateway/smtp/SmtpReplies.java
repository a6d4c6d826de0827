package org.smimegw.gateway.smtp;

import com.codahale.metrics.MetricRegistry;
import org.subethamail.smtp.RejectException;

/**
 * The one place where the front end's SMTP replies (errors and the final 250) are worded: each refusal
 * ({@link SmtpReason}, policy {@link SmtpRejection}, or a reply of SubEthaSMTP's AUTH handlers) becomes
 * {@code <code> <enhanced status> <text>} and counts in {@code smtp.rejected.<reason>}.
 */
public final class SmtpReplies {
    private final MetricRegistry metrics;

    public SmtpReplies(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    /** The reply line for {@code reason}, e.g. {@code 554 5.7.1 Relaying denied}. */
    public static String line(SmtpReason reason) {
        return reason.code() + " " + reason.enhancedStatus() + " " + reason.text();
    }

    /** Counts and returns the exception SubEthaSMTP turns into the reply for {@code reason}. */
    public RejectException reject(SmtpReason reason) {
        return reject(reason, reason.text());
    }

    /** As {@link #reject(SmtpReason)} with a more specific text (one line, no secrets). */
    public RejectException reject(SmtpReason reason, String text) {
        count(reason);
        return new RejectException(reason.code(), reason.enhancedStatus() + " " + oneLine(text));
    }

    /** Counts and returns the reply line for {@code reason} (for commands that write replies themselves). */
    public String replyLine(SmtpReason reason) {
        count(reason);
        return line(reason);
    }

    /** A policy check's refusal: 550 (permanent) or 451 (temporary) with the check's enhanced status and text. */
    public RejectException reject(SmtpRejection rejection) {
        SmtpReason reason = rejection.permanent() ? SmtpReason.POLICY_PERMANENT : SmtpReason.POLICY_TEMPORARY;
        count(reason);
        return new RejectException(reason.code(), rejection.enhancedStatus() + " " + oneLine(rejection.text()));
    }

    /** Rewords a refusal produced inside SubEthaSMTP's AUTH handlers into our reply with an enhanced status. */
    public RejectException fromAuthLibrary(RejectException e) {
        return switch (e.getCode()) {
            case 535 -> reject(SmtpReason.AUTH_FAILED);
            case 504 -> reject(SmtpReason.AUTH_MECHANISM_UNKNOWN);
            case 501 -> reject(SmtpReason.AUTH_SYNTAX);
            default -> e;
        };
    }

    /** {@code 250 2.0.0 Ok: queued as <id>} without the code, which SubEthaSMTP's DATA command prepends. */
    public String queued(String queueId) {
        metrics.counter("smtp.accepted").inc();
        return "2.0.0 Ok: queued as " + queueId;
    }

    /** Positive replies of commands the front end implements itself. */
    public static String ok(String enhancedStatus) {
        return "250 " + enhancedStatus + " Ok";
    }

    private void count(SmtpReason reason) {
        metrics.counter(reason.metricName()).inc();
    }

    private static String oneLine(String text) {
        String t = text.replaceAll("[\\r\\n]+", " ").strip();
        return t.length() > 400 ? t.substring(0, 400) : t;
    }
}
