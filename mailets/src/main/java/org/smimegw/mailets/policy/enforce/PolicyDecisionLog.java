package org.smimegw.mailets.policy.enforce;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import com.codahale.metrics.MetricRegistry;

/**
 * One log line and one counter per policy decision: {@code policy.decision.<setting>.<outcome>}, e.g.
 * {@code policy.decision.RequireEncryptedSMIMEMessages.refuse}. Shared by the RCPT check and the mailets.
 */
public final class PolicyDecisionLog {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyDecisionLog.class);
    public static final String PREFIX = "policy.decision";

    private final MetricRegistry metrics;

    public PolicyDecisionLog(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    /**
     * @param stage     where it was decided: rcpt, outbound, inbound
     * @param setting   the deciding setting (or "none")
     * @param outcome   send, refuse, defer, accept, reject, quarantine
     */
    public void record(String stage, String sender, String recipient, String setting, String outcome, String reason) {
        metrics.counter(MetricRegistry.name(PREFIX, setting, outcome)).inc();
        // stage, setting and outcome are also key/value pairs: fields of the gateway's JSON log format
        Level level = switch (outcome) {
            case "send", "accept" -> Level.INFO;
            default -> Level.WARN;
        };
        LOG.atLevel(level).addKeyValue("stage", "policy-" + stage).addKeyValue("setting", setting)
                .addKeyValue("outcome", outcome)
                .log("policy {} from=<{}> to=<{}> setting={} outcome={}: {}", stage, sender, recipient, setting,
                        outcome.toUpperCase(Locale.ROOT), reason);
    }
}
