package org.smimegw.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.smimegw.gateway.logging.LogFields;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolException;

/**
 * The one place that turns the per-recipient results of a delivery attempt into outcomes, for the delivery workers
 * (an OUTGOING entry) and for immediate delivery on the pipeline thread alike: 2xx delivered, 4xx or no connection
 * deferred with exponential back-off (bounced with 5.4.7 once the queue lifetime is over), 5xx bounced. It writes
 * the log line per recipient, counts {@code delivery.delivered/deferred/bounced}, and queues the notifications the
 * attempt owes the sender (never for a null-sender message), each to the recipients whose NOTIFY asks for it:
 * one report of the failed recipients; one "delayed" report once the mail has waited
 * {@code retry.delayWarningHours}; one "relayed" report of the recipients handed to a next hop without DSN (RFC 3461
 * section 6.2.1). What to do with the remaining recipients (rewrite the OUTGOING entry, or store a new one) is the
 * caller's.
 */
final class AttemptConclusion {
    private static final Logger log = LoggerFactory.getLogger(AttemptConclusion.class);

    /**
     * What is left after an attempt.
     *
     * @param remaining     recipients to retry (deferred and not expired); empty when the mail is done
     * @param attempts      attempts that ended with deferred recipients, this one included (0 if none deferred)
     * @param nextAttempt   when to retry the remaining recipients (null if none)
     * @param lastError     status and reason of the last deferral (null if none)
     * @param delayReported the remaining recipients were told of the delay (now or by an earlier attempt)
     */
    record Outcome(List<String> remaining, int attempts, Instant nextAttempt, String lastError,
                   boolean delayReported) {
        boolean done() {
            return remaining.isEmpty();
        }
    }

    private final DeliveryConfig config;
    private final DsnMailBouncer dsns;
    private final Clock clock;
    private final Counter delivered;
    private final Counter deferred;
    private final Counter bounced;
    private final NextHopHealth nextHops;

    AttemptConclusion(DeliveryConfig config, DsnMailBouncer dsns, Clock clock, MetricRegistry metrics,
                      NextHopHealth nextHops) {
        this.config = config;
        this.nextHops = nextHops;
        this.dsns = dsns;
        this.clock = clock;
        this.delivered = metrics.counter("delivery.delivered");
        this.deferred = metrics.counter("delivery.deferred");
        this.bounced = metrics.counter("delivery.bounced");
    }

    /** Per next hop of the attempt: it worked unless every recipient sent to it was deferred. */
    private void recordNextHops(List<RecipientResult> results, Map<String, String> relayOf) {
        Map<String, Boolean> worked = new HashMap<>();
        for (RecipientResult result : results) {
            String relay = relayOf.get(result.recipient());
            if (relay != null) {
                worked.merge(relay, result.outcome() != RecipientResult.Outcome.DEFERRED, Boolean::logicalOr);
            }
        }
        worked.forEach(nextHops::attempted);
    }

    /**
     * Logs and counts every result, queues the notifications and says what is left.
     *
     * @param envelope the mail's envelope (sender, DSN parameters, arrival, delivery attributes of earlier attempts)
     * @param results  one result per recipient attempted
     * @param relayOf  recipient → next hop host:port, for the log lines
     * @param message  the message, for the copy of the original in the notifications
     */
    Outcome conclude(Envelope envelope, List<RecipientResult> results, Map<String, String> relayOf,
                     MimeMessage message) throws SpoolException, MessagingException {
        Instant now = clock.instant();
        recordNextHops(results, relayOf);
        boolean anyDeferred = false;
        for (RecipientResult result : results) {
            anyDeferred |= result.outcome() == RecipientResult.Outcome.DEFERRED;
        }
        // the queue time is parsed only when something was deferred
        Instant queuedAt = anyDeferred ? queuedAt(envelope, now) : null;
        Instant giveUpAt = anyDeferred ? queuedAt.plusMillis(hoursToMillis(config.retry().maxLifetimeHours())) : null;
        boolean expired = anyDeferred && !now.isBefore(giveUpAt);
        boolean delayReported = envelope.attributes().containsKey(DeliveryService.ATTR_DELAY_REPORTED);
        boolean reportDelay = anyDeferred && !expired && !delayReported
                && !now.isBefore(queuedAt.plusMillis(hoursToMillis(config.retry().delayWarningHours())));
        List<DsnFactory.ReportedRecipient> failures = new ArrayList<>();
        List<DsnFactory.ReportedRecipient> delays = new ArrayList<>();
        List<DsnFactory.ReportedRecipient> relays = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        String lastError = null;
        int attempts = anyDeferred ? attempts(envelope) + 1 : 0;
        Instant nextAttempt = anyDeferred ? now.plus(backoff(attempts)) : null;
        for (RecipientResult result : results) {
            String relay = relayOf.getOrDefault(result.recipient(), "none");
            switch (result.outcome()) {
                case DELIVERED -> {
                    delivered.inc();
                    stageLine("delivered").log("delivered to=<{}> relay={} status={} reply=\"{}\"",
                            result.recipient(), relay, result.status(), result.diagnostic());
                    if (!result.nextHopDsn()) {
                        relays.add(new DsnFactory.ReportedRecipient(result.recipient(), DsnFactory.Action.RELAYED,
                                result.status(), result.diagnostic(), null));
                    }
                }
                case DEFERRED -> {
                    if (expired) {
                        String reason = "delivery time expired after " + config.retry().maxLifetimeHours()
                                + " h; last error: " + result.status() + " " + result.diagnostic();
                        failures.add(DsnFactory.ReportedRecipient.failed(result.recipient(), "5.4.7", reason));
                        logBounce(result.recipient(), relay, "5.4.7", reason, envelope);
                    } else {
                        deferred.inc();
                        remaining.add(result.recipient());
                        lastError = result.status() + " " + result.diagnostic();
                        stageLine("deferred").log("deferred to=<{}> relay={} status={} reason=\"{}\" attempt={} "
                                + "next={}", result.recipient(), relay, result.status(), result.diagnostic(), attempts,
                                nextAttempt);
                        if (reportDelay) {
                            delays.add(new DsnFactory.ReportedRecipient(result.recipient(), DsnFactory.Action.DELAYED,
                                    result.status(), result.diagnostic(), giveUpAt));
                        }
                    }
                }
                case FAILED -> {
                    failures.add(DsnFactory.ReportedRecipient.failed(result.recipient(), result.status(),
                            result.diagnostic()));
                    logBounce(result.recipient(), relay, result.status(), result.diagnostic(), envelope);
                }
            }
        }
        bounced.inc(failures.size());
        if (!envelope.hasNullSender()) {
            notify(envelope, message, failures, "bounce");
            notify(envelope, message, delays, "delay notice");
            notify(envelope, message, relays, "relay notice");
        }
        return new Outcome(List.copyOf(remaining), attempts, remaining.isEmpty() ? null : nextAttempt,
                remaining.isEmpty() ? null : lastError, delayReported || reportDelay);
    }

    private void notify(Envelope envelope, MimeMessage message, List<DsnFactory.ReportedRecipient> recipients,
                        String what) throws SpoolException, MessagingException {
        if (!recipients.isEmpty()) {
            dsns.queue(envelope, message, recipients, what);
        }
    }

    /** The envelope that carries the outcome's remaining recipients to their next attempt. */
    Envelope retryEnvelope(Envelope envelope, Outcome outcome) {
        Map<String, String> attributes = new HashMap<>(envelope.attributes());
        attributes.put(DeliveryService.ATTR_ATTEMPTS, String.valueOf(outcome.attempts()));
        attributes.put(DeliveryService.ATTR_NEXT_ATTEMPT, outcome.nextAttempt().toString());
        attributes.putIfAbsent(DeliveryService.ATTR_QUEUED_AT, envelope.receivedAt() != null
                ? envelope.receivedAt().toString() : clock.instant().toString());
        attributes.put(DeliveryService.ATTR_LAST_ERROR, outcome.lastError());
        if (outcome.delayReported()) {
            attributes.put(DeliveryService.ATTR_DELAY_REPORTED, "true");
        }
        return envelope.withRecipients(outcome.remaining()).withAttributes(attributes);
    }

    private void logBounce(String recipient, String relay, String status, String reason, Envelope envelope) {
        stageLine("bounced").log("bounced to=<{}> relay={} status={} reason=\"{}\"{}", recipient, relay, status,
                reason, envelope.hasNullSender() ? " (null sender: no DSN)" : "");
    }

    /** An INFO line of the delivery stage with its outcome as key/value pairs (fields of the JSON log format). */
    private static LoggingEventBuilder stageLine(String outcome) {
        return log.atInfo().addKeyValue(LogFields.STAGE, "delivery").addKeyValue(LogFields.OUTCOME, outcome);
    }

    /** Delay before the attempt after the {@code attempts}-th deferral: initial * multiplier^(attempts-1), capped. */
    Duration backoff(int attempts) {
        DeliveryConfig.Retry retry = config.retry();
        double seconds = retry.initialDelaySeconds() * Math.pow(retry.multiplier(), Math.max(0, attempts - 1));
        seconds = Math.min(seconds, retry.maxDelaySeconds());
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** When the mail entered the queue: the start of its lifetime and of the wait before a delay notice. */
    private static Instant queuedAt(Envelope envelope, Instant now) {
        return parseInstant(envelope.attributes().get(DeliveryService.ATTR_QUEUED_AT))
                .orElse(envelope.receivedAt() != null ? envelope.receivedAt() : now);
    }

    private static long hoursToMillis(double hours) {
        return Math.round(hours * 3_600_000);
    }

    private static int attempts(Envelope envelope) {
        try {
            return Integer.parseInt(envelope.attributes().getOrDefault(DeliveryService.ATTR_ATTEMPTS, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Optional<Instant> parseInstant(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
