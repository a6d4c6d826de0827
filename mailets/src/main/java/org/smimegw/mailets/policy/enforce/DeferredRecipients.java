package org.smimegw.mailets.policy.enforce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.smimegw.mailets.policy.OutboundDecision;
import org.smimegw.mailets.policy.PolicyStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients the policy defers (certificate directory or CRL unreachable) wait on their own, so they hold back nobody
 * else: a copy of the mail for them alone is handed to the mailet context to run again from the same processor after
 * {@code retryDelay} (the gateway stores it durably in its spool); the time of the first deferral travels with the copy
 * ({@link PolicyActions#DEFERRED_SINCE}). Recipients deferred for longer than {@code lifetime} are given up: the
 * sender gets a DSN with {@link PolicyStatus#DEFERRED}'s status and the reason. Never sent in clear.
 */
final class DeferredRecipients {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredRecipients.class);
    private static final AttributeName SINCE = AttributeName.of(PolicyActions.DEFERRED_SINCE);

    private final PolicyActions actions;
    private final PolicyDecisionLog decisionLog;
    private final Clock clock;
    private final Duration retryDelay;
    private final Duration lifetime;

    DeferredRecipients(PolicyActions actions, PolicyDecisionLog decisionLog, Clock clock, Duration retryDelay,
                       Duration lifetime) {
        this.actions = actions;
        this.decisionLog = decisionLog;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.lifetime = lifetime;
    }

    /**
     * @param copy      a copy of the mail as it arrived in this processor (its recipients are replaced)
     * @param processor where the copy runs again (the processor the mail is in)
     * @param deferred  the deferred recipients and why
     */
    void hold(MailetContext context, Mail copy, String processor, String sender,
              Map<MailAddress, OutboundDecision.Defer> deferred) throws MessagingException {
        Instant now = clock.instant();
        Instant since = since(copy).orElse(now);
        copy.setRecipients(new ArrayList<>(deferred.keySet()));
        if (!now.isBefore(since.plus(lifetime))) {
            giveUp(copy, sender, since, deferred);
            return;
        }
        copy.setAttribute(new Attribute(SINCE, AttributeValue.of(since.toString())));
        context.sendMail(copy, processor, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("{} recipient(s) deferred by S/MIME policy wait alone, retried in {} s (deferred since {}): {}",
                deferred.size(), retryDelay.toSeconds(), since, deferred.keySet());
    }

    private void giveUp(Mail copy, String sender, Instant since, Map<MailAddress, OutboundDecision.Defer> deferred)
            throws MessagingException {
        Map<String, List<MailAddress>> byReason = new LinkedHashMap<>();
        deferred.forEach((r, d) -> {
            String reason = d.reason() + "; deferred since " + since + ", given up after " + lifetime.toHours()
                    + " h";
            byReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(r);
            decisionLog.record("outbound", sender, r.asString(), d.setting(), "expired", reason);
        });
        for (Map.Entry<String, List<MailAddress>> e : byReason.entrySet()) {
            actions.refuse(copy, e.getValue(), PolicyStatus.DEFERRED.enhancedStatus(), e.getKey());
        }
    }

    private static java.util.Optional<Instant> since(Mail mail) {
        return mail.getAttribute(SINCE).flatMap(a -> a.getValue().valueAs(String.class)).flatMap(v -> {
            try {
                return java.util.Optional.of(Instant.parse(v));
            } catch (DateTimeParseException e) {
                return java.util.Optional.empty();
            }
        });
    }
}
