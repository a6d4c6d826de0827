package org.smimegw.gateway.smtp;

import java.util.Optional;

/**
 * A check run at RCPT TO after the relay checks have accepted the recipient (e.g. S/MIME policy: "no certificate
 * for this recipient and encryption is required"). Returning a rejection refuses this recipient only; the reply is
 * rendered by {@link SmtpReplies} (550 for permanent, 451 for temporary). Implementations must be thread-safe and
 * must not throw; an unexpected exception is answered with 451 4.3.0.
 */
@FunctionalInterface
public interface RecipientPolicyCheck {
    /**
     * @param sender    the MAIL FROM address, "" for the null sender
     * @param recipient the RCPT TO address as given by the client
     */
    Optional<SmtpRejection> check(SmtpSessionInfo session, String sender, String recipient);
}
