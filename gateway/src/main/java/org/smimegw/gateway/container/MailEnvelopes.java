package org.smimegw.gateway.container;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.EnvelopeParameters;

/**
 * The one conversion between a spool {@link Envelope} and a {@link Mail}, both ways, for every place a mail enters or
 * leaves the spool: {@link GatewayMail#fromSpool} (a spool entry becomes a mail), and {@link #of} for the delivery
 * queue (OUTGOING), {@link ToSpoolArea}, re-injection, the quarantine and the original envelope of a DSN.
 * <table>
 *   <caption>What goes where</caption>
 *   <tr><th>Envelope</th><th>Mail</th></tr>
 *   <tr><td>sender, recipients, clientAddress</td><td>sender, recipients, remote address</td></tr>
 *   <tr><td>clientHelo, authenticatedUser</td>
 *       <td>attributes {@link Mail#SMTP_HELO}, {@link Mail#SMTP_AUTH_USER}</td></tr>
 *   <tr><td>ENVID, RET; per recipient NOTIFY, ORCPT</td><td>{@link Mail#dsnParameters()} (James's
 *       {@link DsnParameters})</td></tr>
 *   <tr><td>the other MAIL FROM parameters (BODY, SIZE, AUTH)</td><td>attribute {@link #MAIL_PARAMETERS}, a map of
 *       strings as on the wire</td></tr>
 * </table>
 * The envelope's stage attributes ({@code pipeline.*}, {@code delivery.*}, {@code policy.*}) are the callers'.
 */
public final class MailEnvelopes {
    /**
     * Mail attribute with the MAIL FROM parameters that are not DSN parameters ({@code BODY}, {@code SIZE},
     * {@code AUTH}): a map of keyword to value as the client sent them. Delivery passes {@code BODY=8BITMIME} on.
     */
    public static final AttributeName MAIL_PARAMETERS = AttributeName.of("org.smimegw.mailParameters");

    private MailEnvelopes() {
    }

    /**
     * The mail's String attributes named {@link PipelineAttributes#POLICY_PREFIX}{@code *} (one line each): the policy's
     * state that a mail keeps when it is stored (error/quarantine area, re-injection) and read back.
     */
    static Map<String, String> policyAttributes(Mail mail) {
        Map<String, String> out = new HashMap<>();
        mail.attributes().forEach(attribute -> {
            String name = attribute.getName().asString();
            if (name.startsWith(PipelineAttributes.POLICY_PREFIX) && attribute.getValue().value() instanceof String v) {
                out.put(name, v.replaceAll("[\\r\\n]+", " "));
            }
        });
        return out;
    }

    /** The envelope's sender as a Mail has it. */
    static MaybeSender sender(Envelope envelope) throws MessagingException {
        return envelope.hasNullSender() ? MaybeSender.nullSender() : MaybeSender.of(address(envelope.sender()));
    }

    /** The envelope's recipients as a Mail has them. */
    static List<MailAddress> recipients(Envelope envelope) throws MessagingException {
        List<MailAddress> recipients = new ArrayList<>(envelope.recipients().size());
        for (String recipient : envelope.recipients()) {
            recipients.add(address(recipient));
        }
        return recipients;
    }

    /** Gives a mail made from {@code envelope} the envelope's HELO, AUTH user and parameters. */
    static void restore(Envelope envelope, Mail mail) {
        if (envelope.clientHelo() != null && !envelope.clientHelo().isEmpty()) {
            mail.setAttribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of(envelope.clientHelo())));
        }
        if (envelope.authenticatedUser() != null) {
            mail.setAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(envelope.authenticatedUser())));
        }
        Map<String, String> others = EnvelopeParameters.withoutDsn(envelope.mailParameters());
        if (!others.isEmpty()) {
            Map<String, AttributeValue<?>> values = new LinkedHashMap<>();
            others.forEach((keyword, value) -> values.put(keyword, AttributeValue.of(value)));
            mail.setAttribute(new Attribute(MAIL_PARAMETERS, AttributeValue.of(values)));
        }
        EnvelopeParameters.toDsnParameters(envelope).ifPresent(mail::setDsnParameters);
    }

    /** The envelope of {@code mail} for all its recipients. */
    public static Envelope of(Mail mail, Instant receivedAt, Map<String, String> attributes) {
        return of(mail, mail.getRecipients(), receivedAt, attributes);
    }

    /**
     * The envelope of {@code mail} for {@code recipients} (some of its recipients), each with its RCPT TO
     * parameters.
     *
     * @param receivedAt the envelope's arrival time
     * @param attributes the envelope's stage attributes
     */
    public static Envelope of(Mail mail, Collection<MailAddress> recipients, Instant receivedAt,
                              Map<String, String> attributes) {
        Optional<DsnParameters> dsn = mail.dsnParameters();
        Map<String, Map<String, String>> recipientParameters = new LinkedHashMap<>();
        dsn.ifPresent(d -> recipients.forEach(r -> {
            DsnParameters.RecipientDsnParameters p = d.getRcptParameters().get(r);
            if (p != null) {
                recipientParameters.put(r.asString(), EnvelopeParameters.rcptParameters(p));
            }
        }));
        return new Envelope(mail.getMaybeSender().asString(""),
                EnvelopeParameters.mailParameters(otherMailParameters(mail), dsn),
                recipients.stream().map(MailAddress::asString).toList(), recipientParameters,
                mail.getRemoteAddr() == null ? "127.0.0.1" : mail.getRemoteAddr(),
                stringAttribute(mail, Mail.SMTP_HELO).orElse(""),
                stringAttribute(mail, Mail.SMTP_AUTH_USER).orElse(null), receivedAt, attributes);
    }

    /** The envelope of a new mail the pipeline creates ({@code MailetContext.sendMail(sender, recipients, ...)}). */
    static Envelope of(MaybeSender sender, Collection<MailAddress> recipients, Instant now,
                       Map<String, String> attributes) {
        return new Envelope(sender.asString(""), Map.of(), recipients.stream().map(MailAddress::asString).toList(),
                "127.0.0.1", "", null, now, attributes);
    }

    private static Map<String, String> otherMailParameters(Mail mail) {
        Map<String, String> parameters = new LinkedHashMap<>();
        mail.getAttribute(MAIL_PARAMETERS).ifPresent(a -> {
            if (a.getValue().value() instanceof Map<?, ?> map) {
                map.forEach((keyword, value) -> parameters.put(String.valueOf(keyword),
                        String.valueOf(value instanceof AttributeValue<?> v ? v.value() : value)));
            }
        });
        return parameters;
    }

    private static Optional<String> stringAttribute(Mail mail, AttributeName name) {
        return mail.getAttribute(name).map(a -> String.valueOf(a.getValue().value()));
    }

    private static MailAddress address(String address) throws MessagingException {
        try {
            return new MailAddress(address);
        } catch (AddressException e) {
            throw new MessagingException("invalid address in envelope: " + address, e);
        }
    }
}
