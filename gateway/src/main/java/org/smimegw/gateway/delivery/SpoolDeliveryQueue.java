package org.smimegw.gateway.delivery;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * {@link DeliveryQueue} on the OUTGOING spool area: writes the mail's message and remaining recipients durably,
 * then tells delivery (normally {@code deliveryService::submit}) about the new entry.
 * <p>
 * With an immediate-delivery source (config {@code delivery.immediate}, the default), it first lets
 * {@link DeliveryService#deliverNow} try the recipients on the calling pipeline thread over idle pooled
 * connections, and stores only what is left: recipients without an idle connection (due at once) and deferred ones
 * (with their retry schedule); a mail delivered or bounced completely never touches OUTGOING. This is safe because
 * the caller's INCOMING entry stays the durable record of the mail until the pipeline deletes it after the
 * container finished: a crash during the attempt repeats the whole pipeline run and may deliver the mail twice
 * (at-least-once), but never loses it.
 */
public final class SpoolDeliveryQueue implements DeliveryQueue {
    private static final Logger log = LoggerFactory.getLogger(SpoolDeliveryQueue.class);

    /**
     * Mail attribute carrying the MAIL FROM parameters as on the wire ({@code "BODY=8BITMIME ENVID=xyz RET=HDRS"}),
     * set by whoever builds the Mail from the incoming envelope; copied into the OUTGOING envelope so that delivery
     * can pass BODY on and bounces can quote ENVID.
     */
    public static final org.apache.mailet.AttributeName MAIL_PARAMETERS =
            org.apache.mailet.AttributeName.of("org.smimegw.mailParameters");

    private final Spool spool;
    private final Clock clock;
    private final java.util.function.Consumer<SpoolEntry> onQueued;
    private final java.util.function.Supplier<DeliveryService> immediate;

    /** Queues every mail in OUTGOING (no immediate delivery). */
    public SpoolDeliveryQueue(Spool spool, Clock clock, java.util.function.Consumer<SpoolEntry> onQueued) {
        this(spool, clock, onQueued, () -> null);
    }

    /**
     * @param spool     the spool to write OUTGOING entries to
     * @param clock     stamps the start of the queue lifetime
     * @param onQueued  called with each stored entry after it is durable (wakes the delivery workers)
     * @param immediate the running delivery service to try {@link DeliveryService#deliverNow} with first, or null
     *                  (immediate delivery off, or delivery not running): asked for every mail
     */
    public SpoolDeliveryQueue(Spool spool, Clock clock, java.util.function.Consumer<SpoolEntry> onQueued,
                              java.util.function.Supplier<DeliveryService> immediate) {
        this.spool = spool;
        this.clock = clock;
        this.onQueued = onQueued;
        this.immediate = immediate;
    }

    @Override
    public void enqueue(Mail mail) throws SpoolException {
        List<String> recipients = mail.getRecipients().stream().map(MailAddress::asString).toList();
        if (recipients.isEmpty()) {
            return;
        }
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        String authUser = mail.getAttribute(Mail.SMTP_AUTH_USER)
                .map(Attribute::getValue).map(v -> String.valueOf(v.value())).orElse(null);
        String helo = mail.getAttribute(Mail.SMTP_HELO)
                .map(Attribute::getValue).map(v -> String.valueOf(v.value())).orElse(mail.getRemoteHost());
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DeliveryService.ATTR_QUEUED_AT, clock.instant().toString());
        if (mail.getName() != null) {
            attributes.put("pipeline.mailName", mail.getName());
        }
        java.time.Instant receivedAt = mail.getLastUpdated() != null ? mail.getLastUpdated().toInstant()
                : clock.instant();
        Map<String, String> parameters = mail.getAttribute(MAIL_PARAMETERS)
                .map(a -> parseParameters(String.valueOf(a.getValue().value()))).orElse(Map.of());
        Envelope envelope = new Envelope(sender, parameters, recipients, nullToEmpty(mail.getRemoteAddr()),
                nullToEmpty(helo), authUser, receivedAt, attributes);
        MimeMessage message;
        try {
            message = mail.getMessage();
        } catch (MessagingException e) {
            throw new SpoolException("cannot read the message of mail " + mail.getName() + ": " + e.getMessage(), e);
        }
        DeliveryService service = immediate.get();
        if (service == null) {
            store(envelope, message, "queued for delivery");
            return;
        }
        DeliveryService.Leftover left = service.deliverNow(envelope, message);
        if (left.untried() != null) {
            store(left.untried(), message, "queued for delivery");
        }
        if (left.deferred() != null) {
            store(left.deferred(), message, "queued for retry");
        }
    }

    private void store(Envelope envelope, MimeMessage message, String what) throws SpoolException {
        SpoolEntry entry = spool.store(SpoolArea.OUTGOING, envelope, message);
        log.info("{} as {} from=<{}> nrcpt={}", what, entry.id(), envelope.sender(), envelope.recipients().size());
        onQueued.accept(entry);
    }

    static Map<String, String> parseParameters(String wire) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (String token : wire.trim().split("\\s+")) {
            if (!token.isEmpty()) {
                int eq = token.indexOf('=');
                parameters.put((eq < 0 ? token : token.substring(0, eq)).toUpperCase(java.util.Locale.ROOT),
                        eq < 0 ? "" : token.substring(eq + 1));
            }
        }
        return parameters;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
