package org.smimegw.gateway.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.container.MailEnvelopes;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * {@link DeliveryQueue} on the OUTGOING spool area: writes the mail's message and remaining recipients with their
 * envelope ({@link MailEnvelopes}: MAIL FROM and RCPT TO parameters included) durably, then tells delivery (normally {@code deliveryService::submit}) about the new entry.
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
        if (mail.getRecipients().isEmpty()) {
            return;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DeliveryService.ATTR_QUEUED_AT, clock.instant().toString());
        if (mail.getName() != null) {
            attributes.put("pipeline.mailName", mail.getName());
        }
        Instant receivedAt = mail.getLastUpdated() != null ? mail.getLastUpdated().toInstant() : clock.instant();
        Envelope envelope = MailEnvelopes.of(mail, receivedAt, attributes);
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
}
