package org.smimegw.gateway.spool;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The SMTP envelope of a spooled message, stored beside its content.
 *
 * @param sender            the MAIL FROM address, "" for the null sender {@code <>}
 * @param mailParameters    MAIL FROM parameters as given (SIZE, BODY, RET, ENVID, AUTH ...)
 * @param recipients        RCPT TO addresses still to be handled, in order
 * @param clientAddress     the client's IP address
 * @param clientHelo        the HELO/EHLO name
 * @param authenticatedUser the SMTP AUTH identity, null when not authenticated
 * @param receivedAt        when the message was accepted
 * @param attributes        stage-specific string state (e.g. delivery attempts, error count), never secrets
 */
public record Envelope(String sender, Map<String, String> mailParameters, List<String> recipients,
                       String clientAddress, String clientHelo, String authenticatedUser, Instant receivedAt,
                       Map<String, String> attributes) {
    public Envelope {
        mailParameters = Map.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        attributes = Map.copyOf(attributes);
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    public Envelope withRecipients(List<String> newRecipients) {
        return new Envelope(sender, mailParameters, newRecipients, clientAddress, clientHelo, authenticatedUser,
                receivedAt, attributes);
    }

    public Envelope withAttributes(Map<String, String> newAttributes) {
        return new Envelope(sender, mailParameters, recipients, clientAddress, clientHelo, authenticatedUser,
                receivedAt, newAttributes);
    }
}
