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
import java.util.function.Consumer;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * The one place that turns the per-recipient results of a delivery attempt into outcomes, for the delivery workers
 * (an OUTGOING entry) and for immediate delivery on the pipeline thread alike: 2xx delivered, 4xx or no connection
 * deferred with exponential back-off (bounced with 5.4.7 once the queue lifetime is over), 5xx bounced. It writes
 * the log line per recipient, counts {@code delivery.delivered/deferred/bounced}, and stores one RFC 3464 DSN per
 * attempt in INCOMING (never for a null-sender message). What to do with the remaining recipients (rewrite the
 * OUTGOING entry, or store a new one) is the caller's.
 */
final class AttemptConclusion {
    private static final Logger log = LoggerFactory.getLogger(AttemptConclusion.class);

    /**
     * What is left after an attempt.
     *
     * @param remaining   recipients to retry (deferred and not expired); empty when the mail is done
     * @param attempts    attempts that ended with deferred recipients, this one included (0 if none deferred)
     * @param nextAttempt when to retry the remaining recipients (null if none)
     * @param lastError   status and reason of the last deferral (null if none)
     */
    record Outcome(List<String> remaining, int attempts, Instant nextAttempt, String lastError) {
        boolean done() {
            return remaining.isEmpty();
        }
    }

    private final DeliveryConfig config;
    private final Spool spool;
    private final DsnFactory dsnFactory;
    private final String reportingMta;
    private final Clock clock;
    private final Consumer<SpoolEntry> onBounceQueued;
    private final Counter delivered;
    private final Counter deferred;
    private final Counter bounced;

    AttemptConclusion(DeliveryConfig config, Spool spool, DsnFactory dsnFactory, String reportingMta, Clock clock,
                      Consumer<SpoolEntry> onBounceQueued, MetricRegistry metrics) {
        this.config = config;
        this.spool = spool;
        this.dsnFactory = dsnFactory;
        this.reportingMta = reportingMta;
        this.clock = clock;
        this.onBounceQueued = onBounceQueued;
        this.delivered = metrics.counter("delivery.delivered");
        this.deferred = metrics.counter("delivery.deferred");
        this.bounced = metrics.counter("delivery.bounced");
    }

    /**
     * Logs and counts every result, queues the DSN for the permanent failures and says what is left.
     *
     * @param envelope the mail's envelope (sender, ENVID, arrival, delivery attributes of earlier attempts)
     * @param results  one result per recipient attempted
     * @param relayOf  recipient → next hop host:port, for the log lines
     * @param message  the message, for the DSN's copy of the original headers
     */
    Outcome conclude(Envelope envelope, List<RecipientResult> results, Map<String, String> relayOf,
                     MimeMessage message) throws SpoolException, MessagingException {
        Instant now = clock.instant();
        boolean anyDeferred = false;
        for (RecipientResult result : results) {
            anyDeferred |= result.outcome() == RecipientResult.Outcome.DEFERRED;
        }
        boolean expired = anyDeferred && lifetimeExceeded(envelope, now); // parses the queue time only when needed
        List<DsnFactory.FailedRecipient> failures = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        String lastError = null;
        int attempts = anyDeferred ? attempts(envelope) + 1 : 0;
        Instant nextAttempt = anyDeferred ? now.plus(backoff(attempts)) : null;
        for (RecipientResult result : results) {
            String relay = relayOf.getOrDefault(result.recipient(), "none");
            switch (result.outcome()) {
                case DELIVERED -> {
                    delivered.inc();
                    log.info("delivered to=<{}> relay={} status={} reply=\"{}\"", result.recipient(), relay,
                            result.status(), result.diagnostic());
                }
                case DEFERRED -> {
                    if (expired) {
                        String reason = "delivery time expired after " + config.retry().maxLifetimeHours()
                                + " h; last error: " + result.status() + " " + result.diagnostic();
                        failures.add(new DsnFactory.FailedRecipient(result.recipient(), "5.4.7", reason));
                        logBounce(result.recipient(), relay, "5.4.7", reason, envelope);
                    } else {
                        deferred.inc();
                        remaining.add(result.recipient());
                        lastError = result.status() + " " + result.diagnostic();
                        log.info("deferred to=<{}> relay={} status={} reason=\"{}\" attempt={} next={}",
                                result.recipient(), relay, result.status(), result.diagnostic(), attempts, nextAttempt);
                    }
                }
                case FAILED -> {
                    failures.add(new DsnFactory.FailedRecipient(result.recipient(), result.status(), result.diagnostic()));
                    logBounce(result.recipient(), relay, result.status(), result.diagnostic(), envelope);
                }
            }
        }
        if (!failures.isEmpty()) {
            bounced.inc(failures.size());
            if (!envelope.hasNullSender()) {
                MimeMessage dsn = dsnFactory.create(envelope, message, failures, reportingMta);
                Envelope dsnEnvelope = new Envelope("", Map.of(), List.of(envelope.sender()), "127.0.0.1",
                        reportingMta, null, now, Map.of());
                SpoolEntry dsnEntry = spool.store(SpoolArea.INCOMING, dsnEnvelope, dsn);
                log.info("bounce for {} recipient(s) queued as {} to=<{}>", failures.size(), dsnEntry.id(),
                        envelope.sender());
                onBounceQueued.accept(dsnEntry);
            }
        }
        return new Outcome(List.copyOf(remaining), attempts, remaining.isEmpty() ? null : nextAttempt,
                remaining.isEmpty() ? null : lastError);
    }

    /** The envelope that carries the outcome's remaining recipients to their next attempt. */
    Envelope retryEnvelope(Envelope envelope, Outcome outcome) {
        Map<String, String> attributes = new HashMap<>(envelope.attributes());
        attributes.put(DeliveryService.ATTR_ATTEMPTS, String.valueOf(outcome.attempts()));
        attributes.put(DeliveryService.ATTR_NEXT_ATTEMPT, outcome.nextAttempt().toString());
        attributes.putIfAbsent(DeliveryService.ATTR_QUEUED_AT, envelope.receivedAt() != null
                ? envelope.receivedAt().toString() : clock.instant().toString());
        attributes.put(DeliveryService.ATTR_LAST_ERROR, outcome.lastError());
        return envelope.withRecipients(outcome.remaining()).withAttributes(attributes);
    }

    private void logBounce(String recipient, String relay, String status, String reason, Envelope envelope) {
        log.info("bounced to=<{}> relay={} status={} reason=\"{}\"{}", recipient, relay, status, reason,
                envelope.hasNullSender() ? " (null sender: no DSN)" : "");
    }

    /** Delay before the attempt after the {@code attempts}-th deferral: initial * multiplier^(attempts-1), capped. */
    Duration backoff(int attempts) {
        DeliveryConfig.Retry retry = config.retry();
        double seconds = retry.initialDelaySeconds() * Math.pow(retry.multiplier(), Math.max(0, attempts - 1));
        seconds = Math.min(seconds, retry.maxDelaySeconds());
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private boolean lifetimeExceeded(Envelope envelope, Instant now) {
        Instant queuedAt = parseInstant(envelope.attributes().get(DeliveryService.ATTR_QUEUED_AT))
                .orElse(envelope.receivedAt() != null ? envelope.receivedAt() : now);
        long lifetimeMillis = Math.round(config.retry().maxLifetimeHours() * 3_600_000);
        return !now.isBefore(queuedAt.plusMillis(lifetimeMillis));
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
