package org.smimegw.gateway.smtp;

/** Why the front end refuses something; {@link SmtpReplies} turns each into exactly one SMTP reply. */
public enum SmtpReason {
    RELAY_DENIED(554, "5.7.1", "Relaying denied"),
    MESSAGE_TOO_BIG(552, "5.3.4", "Message size exceeds fixed limit"),
    /** The message's header section is larger than the MIME limit {@code maxHeaderBytes} (as Exchange's). */
    HEADER_TOO_BIG(552, "5.3.4", "Message header size exceeds fixed limit"),
    /** Free space on the spool's file system is below the reserve (as Postfix's queue_minfree). */
    INSUFFICIENT_STORAGE(452, "4.3.1", "Insufficient system storage"),
    TOO_MANY_RECIPIENTS(452, "4.5.3", "Too many recipients"),
    LINE_TOO_LONG(500, "5.5.2", "Line too long"),
    SPOOL_FAILURE(451, "4.3.0", "Temporary local problem, please try again later"),
    LOCAL_ERROR(451, "4.3.0", "Temporary local problem, please try again later"),
    TOO_MANY_CONNECTIONS(421, "4.7.0", "Too many connections, try again later"),
    AUTH_FAILED(535, "5.7.8", "Authentication credentials invalid"),
    AUTH_NEEDS_TLS(538, "5.7.11", "Encryption required for requested authentication mechanism"),
    AUTH_MECHANISM_UNKNOWN(504, "5.5.4", "Unrecognized authentication type"),
    AUTH_SYNTAX(501, "5.5.2", "Invalid AUTH argument"),
    NESTED_MAIL(503, "5.5.1", "Sender already specified"),
    NEED_MAIL(503, "5.5.1", "Error: need MAIL command"),
    NEED_RCPT(503, "5.5.1", "Error: need RCPT command"),
    NOT_IMPLEMENTED(502, "5.5.1", "Command not implemented"),
    MAIL_SYNTAX(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]"),
    RCPT_SYNTAX(501, "5.5.4", "Syntax: RCPT TO:<address> [parameters]"),
    BAD_SENDER_ADDRESS(501, "5.1.7", "Bad sender address syntax"),
    BAD_RECIPIENT_ADDRESS(501, "5.1.3", "Bad recipient address syntax"),
    /** RFC 5321 section 4.1.1.11: a MAIL or RCPT parameter the gateway does not know. */
    PARAMETER_NOT_SUPPORTED(555, "5.5.4", "Parameter not supported"),
    /** A known MAIL or RCPT parameter with a malformed value, given twice, or without a valid keyword. */
    PARAMETER_INVALID(555, "5.5.4", "Invalid parameter"),
    HELO_SYNTAX(501, "5.5.4", "Syntax: EHLO hostname"),
    TIMEOUT(421, "4.4.2", "Timeout waiting for data from client, closing connection"),
    UNKNOWN_COMMAND(500, "5.5.2", "Command not recognized"),
    COMMAND_SYNTAX(501, "5.5.2", "Syntax error in command line"),
    STARTTLS_SYNTAX(501, "5.5.4", "Syntax: STARTTLS (no parameters allowed)"),
    TLS_NOT_AVAILABLE(454, "4.7.0", "TLS not available due to temporary reason"),
    TLS_ALREADY_ACTIVE(454, "4.7.0", "TLS not available: TLS already active"),
    AUTH_CANCELLED(501, "5.7.0", "Authentication canceled by client"),
    AUTH_ALREADY_DONE(503, "5.5.1", "Already authenticated"),
    /** A load balancer's connection without a valid PROXY protocol header (missing, malformed, too slow). */
    PROXY_HEADER_INVALID(421, "4.7.0", "Invalid or missing PROXY protocol header, closing connection"),
    /** A PROXY protocol header from an address that is not one of {@code smtp.proxyProtocol.loadBalancers}. */
    PROXY_NOT_ALLOWED(554, "5.7.1", "PROXY protocol not accepted from this address, closing connection");

    private final int code;
    private final String enhancedStatus;
    private final String text;

    SmtpReason(int code, String enhancedStatus, String text) {
        this.code = code;
        this.enhancedStatus = enhancedStatus;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String enhancedStatus() {
        return enhancedStatus;
    }

    public String text() {
        return text;
    }

    /** Name of the metric counter: {@code smtp.rejected.<this in lower case>}. */
    public String metricName() {
        return "smtp.rejected." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
