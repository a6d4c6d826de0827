package org.smimegw.gateway.spool;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMTP envelope of a spooled message, stored beside its content. Parameters are kept as on the wire (keys upper
 * case, values as the client sent them, xtext still encoded); {@link EnvelopeParameters} knows what they mean.
 *
 * @param sender              the MAIL FROM address, "" for the null sender {@code <>}
 * @param mailParameters      MAIL FROM parameters (SIZE, BODY, RET, ENVID, AUTH)
 * @param recipients          RCPT TO addresses still to be handled, in order
 * @param recipientParameters RCPT TO parameters (NOTIFY, ORCPT) by recipient address; only recipients that had
 *                            any, and only those still in {@code recipients}
 * @param clientAddress       the client's IP address
 * @param clientHelo          the HELO/EHLO name
 * @param authenticatedUser   the SMTP AUTH identity, null when not authenticated
 * @param receivedAt          when the message was accepted
 * @param attributes          stage-specific string state (e.g. delivery attempts, error count), never secrets
 */
public record Envelope(String sender, Map<String, String> mailParameters, List<String> recipients,
                       Map<String, Map<String, String>> recipientParameters, String clientAddress, String clientHelo,
                       String authenticatedUser, Instant receivedAt, Map<String, String> attributes) {
    public Envelope {
        mailParameters = Map.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        recipientParameters = forRecipients(recipientParameters, recipients);
        attributes = Map.copyOf(attributes);
    }

    /** An envelope whose recipients had no RCPT TO parameters. */
    public Envelope(String sender, Map<String, String> mailParameters, List<String> recipients, String clientAddress,
                    String clientHelo, String authenticatedUser, Instant receivedAt, Map<String, String> attributes) {
        this(sender, mailParameters, recipients, Map.of(), clientAddress, clientHelo, authenticatedUser, receivedAt,
                attributes);
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /** The RCPT TO parameters of {@code recipient}, empty when it had none. */
    public Map<String, String> parametersOf(String recipient) {
        return recipientParameters.getOrDefault(recipient, Map.of());
    }

    /** The same envelope for {@code newRecipients} (a subset), each keeping its RCPT TO parameters. */
    public Envelope withRecipients(List<String> newRecipients) {
        return new Envelope(sender, mailParameters, newRecipients, recipientParameters, clientAddress, clientHelo,
                authenticatedUser, receivedAt, attributes);
    }

    public Envelope withAttributes(Map<String, String> newAttributes) {
        return new Envelope(sender, mailParameters, recipients, recipientParameters, clientAddress, clientHelo,
                authenticatedUser, receivedAt, newAttributes);
    }

    private static Map<String, Map<String, String>> forRecipients(Map<String, Map<String, String>> parameters,
                                                                  List<String> recipients) {
        if (parameters.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, String>> kept = new LinkedHashMap<>();
        for (String recipient : recipients) {
            Map<String, String> p = parameters.get(recipient);
            if (p != null && !p.isEmpty()) {
                kept.put(recipient, Map.copyOf(p));
            }
        }
        return Map.copyOf(kept);
    }
}
