package org.smimegw.gateway.container;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Mail;

import org.smimegw.gateway.spool.Envelope;

/** Builds spool envelopes for mails that the pipeline stores (re-injection, error area). */
final class MailEnvelopes {
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

    static Envelope of(Mail mail, Instant now, Map<String, String> attributes) {
        String helo = mail.getAttribute(Mail.SMTP_HELO).map(a -> String.valueOf(a.getValue().value())).orElse("");
        String authUser = mail.getAttribute(Mail.SMTP_AUTH_USER).map(a -> String.valueOf(a.getValue().value()))
                .orElse(null);
        return of(mail.getMaybeSender(), mail.getRecipients(), mail.getRemoteAddr(), helo, authUser, now,
                attributes);
    }

    static Envelope of(MaybeSender sender, Collection<MailAddress> recipients, String remoteAddr, String helo,
                       String authUser, Instant now, Map<String, String> attributes) {
        return new Envelope(sender.asString(""), Map.of(), recipients.stream().map(MailAddress::asString).toList(),
                remoteAddr == null ? "127.0.0.1" : remoteAddr, helo == null ? "" : helo, authUser, now, attributes);
    }
}
