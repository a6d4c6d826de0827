package org.smimegw.gateway.smtp;

import java.util.Map;
import java.util.regex.Pattern;

import com.codahale.metrics.MetricRegistry;
import org.subethamail.smtp.RejectException;

/**
 * The one place where the front end's SMTP replies (errors and the final 250) are worded: each refusal
 * ({@link SmtpReason}, policy {@link SmtpRejection}, or a reply of SubEthaSMTP's AUTH handlers) becomes
 * {@code <code> <enhanced status> <text>} and counts in {@code smtp.rejected.<reason>}. Replies SubEthaSMTP writes
 * on its own (idle timeout, unknown command, AUTH outcomes) are reworded by {@link #fromLibrary} on their way to
 * the client.
 */
public final class SmtpReplies {
    /** Library reply lines (exact text) and the reason each stands for. */
    private static final Map<String, SmtpReason> LIBRARY_REFUSALS = Map.of(
            "421 Timeout waiting for data from client.", SmtpReason.TIMEOUT,
            "500 Error: command not implemented", SmtpReason.UNKNOWN_COMMAND,
            "500 Error: bad syntax", SmtpReason.UNKNOWN_COMMAND,
            "501 Authentication canceled by client.", SmtpReason.AUTH_CANCELLED,
            "503 Refusing any other AUTH command.", SmtpReason.AUTH_ALREADY_DONE,
            "454 TLS not supported", SmtpReason.TLS_NOT_AVAILABLE,
            "454 TLS not available due to temporary reason: TLS already active", SmtpReason.TLS_ALREADY_ACTIVE,
            "501 Syntax error (no parameters allowed)", SmtpReason.STARTTLS_SYNTAX);
    /** Positive library replies that lack an enhanced status code. */
    private static final Map<String, String> LIBRARY_POSITIVE = Map.of(
            "235 Authentication successful.", "235 2.7.0 Authentication successful",
            "250 Ok", "250 2.0.0 Ok");
    /** A 4xx/5xx line without an enhanced status code, e.g. {@code 501 Syntax error at character position 4...}. */
    private static final Pattern ERROR_WITHOUT_ENHANCED_STATUS =
            Pattern.compile("^[45][0-9]{2} (?![245]\\.[0-9]{1,3}\\.[0-9]{1,3}( |$)).*");

    private final MetricRegistry metrics;

    public SmtpReplies(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    /** The reply line for {@code reason}, e.g. {@code 554 5.7.1 Relaying denied}. */
    public static String line(SmtpReason reason) {
        return reason.code() + " " + reason.enhancedStatus() + " " + reason.text();
    }

    /**
     * Rewords one reply line SubEthaSMTP wrote itself: known refusals become their {@link SmtpReason} reply (and are
     * counted), other 4xx/5xx lines without an enhanced status code get {@code 4.0.0}/{@code 5.5.2} (syntax) or
     * {@code 5.0.0}; everything else (our own replies, the greeting, EHLO lines, 334/354) passes unchanged.
     */
    public String fromLibrary(String line) {
        SmtpReason reason = LIBRARY_REFUSALS.get(line);
        if (reason != null) {
            return replyLine(reason);
        }
        String positive = LIBRARY_POSITIVE.get(line);
        if (positive != null) {
            return positive;
        }
        if (ERROR_WITHOUT_ENHANCED_STATUS.matcher(line).matches()) {
            String code = line.substring(0, 3);
            String enhanced = code.startsWith("4") ? "4.0.0" : code.equals("500") || code.equals("501") ? "5.5.2" : "5.0.0";
            return code + " " + enhanced + " " + oneLine(line.substring(4));
        }
        return line;
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

    /**
     * Counts and returns the reply line for {@code reason} with a detail after its text, e.g.
     * {@code 555 5.5.4 Parameter not supported: FOO} (one line, no secrets).
     */
    public String replyLine(SmtpReason reason, String detail) {
        count(reason);
        return line(reason) + (detail.isEmpty() ? "" : ": " + oneLine(detail));
    }

    /**
     * A policy check's refusal: 550 (permanent) or 451 (temporary) with the check's own enhanced status and text,
     * counted in {@code smtp.rejected.policy_permanent} / {@code smtp.rejected.policy_temporary}.
     */
    public RejectException reject(SmtpRejection rejection) {
        metrics.counter("smtp.rejected.policy_" + (rejection.permanent() ? "permanent" : "temporary")).inc();
        return new RejectException(rejection.code(), rejection.enhancedStatus() + " " + oneLine(rejection.text()));
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

    /** The reply to HELP: the commands the front end knows, {@code 214 2.0.0}. */
    public static String help(boolean authAvailable) {
        return "214-2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT STARTTLS" + (authAvailable ? " AUTH" : "")
                + " HELP\r\n214 2.0.0 End of HELP info";
    }

    /** The positive reply to STARTTLS. */
    public static String readyToStartTls() {
        return "220 2.0.0 Ready to start TLS";
    }

    private void count(SmtpReason reason) {
        metrics.counter(reason.metricName()).inc();
    }

    private static String oneLine(String text) {
        String t = text.replaceAll("[\\r\\n]+", " ").strip();
        return t.length() > 400 ? t.substring(0, 400) : t;
    }
}
