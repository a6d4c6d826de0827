package org.smimegw.gateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * YAML {@code embeddedMailbox:} — an embedded GreenMail server used as the next hop when no external mail server
 * exists (demos, tests). Mailboxes are created on first delivery; login = password = the e-mail address.
 * When enabled and {@code delivery.smarthost} is not configured, delivery goes to its SMTP port.
 *
 * @param enabled  start the embedded mailbox (default false; the shipped conf/gateway.yaml enables it)
 * @param bind     address its SMTP and IMAP servers listen on (default 127.0.0.1)
 * @param smtpPort SMTP port (default 3025; 0 picks a free port)
 * @param imapPort IMAP port (default 3143; 0 picks a free port)
 */
public record EmbeddedMailboxConfig(boolean enabled, String bind, int smtpPort, int imapPort) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_SMTP_PORT = 3025;
    public static final int DEFAULT_IMAP_PORT = 3143;

    @JsonCreator
    public static EmbeddedMailboxConfig of(@JsonProperty("enabled") Boolean enabled,
                                           @JsonProperty("bind") String bind,
                                           @JsonProperty("smtpPort") Integer smtpPort,
                                           @JsonProperty("imapPort") Integer imapPort) {
        return new EmbeddedMailboxConfig(enabled != null && enabled, bind == null ? DEFAULT_BIND : bind,
                smtpPort == null ? DEFAULT_SMTP_PORT : smtpPort, imapPort == null ? DEFAULT_IMAP_PORT : imapPort);
    }

    public static EmbeddedMailboxConfig defaults() {
        return of(null, null, null, null);
    }
}
