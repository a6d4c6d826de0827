package org.smimegw.mailets.policy.enforce;

import java.util.Collection;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;

/**
 * What the enforcement mailets do with recipients that policy refuses: a delivery status notification to the
 * sender naming them and the reason, or a copy kept in the quarantine. The gateway implements it on its spool and
 * DSN factory ({@code org.smimegw.gateway.policy.SpoolPolicyActions}); both must be durable before they return.
 */
public interface PolicyActions {

    /** Envelope/mail attribute of a quarantined mail: why policy kept it (one line). */
    String QUARANTINE_REASON = "policy.quarantineReason";

    /** Mail attribute (from the envelope) of a mail an administrator released from the quarantine. */
    String RELEASED = "policy.released";

    /**
     * Mail/envelope attribute of a copy that waits for recipients the policy deferred: when they were first deferred
     * (ISO-8601 instant), kept across retries so that the deferral can end.
     */
    String DEFERRED_SINCE = "policy.deferredSince";

    /** Sends the sender of {@code mail} a DSN: {@code recipients} failed with {@code status} and {@code reason}. */
    void refuse(Mail mail, Collection<MailAddress> recipients, String status, String reason) throws MessagingException;

    /** Keeps {@code mail} for {@code recipients} in the quarantine with {@code reason}. */
    void quarantine(Mail mail, Collection<MailAddress> recipients, String reason) throws MessagingException;
}
