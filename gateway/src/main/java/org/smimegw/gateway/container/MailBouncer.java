package org.smimegw.gateway.container;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;

/** Sends a non-delivery notification for a mail; supplied by delivery (RFC 3464 DSNs) to the mailet context. */
@FunctionalInterface
public interface MailBouncer {
    /**
     * @param mail    the mail that cannot be delivered
     * @param message why, for the human-readable part
     * @param bouncer the address the notification comes from
     */
    void bounce(Mail mail, String message, MailAddress bouncer) throws MessagingException;
}
