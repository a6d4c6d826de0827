package org.smimegw.gateway.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;

/**
 * The one table from the gateway's Dropwizard metric names (what the code counts and JMX shows) to Prometheus names
 * and labels, in the Prometheus client's own mapping vocabulary ({@link MapperConfig}: a dotted name with {@code *}
 * for one part, {@code ${n}} for the n-th such part). A setting, outcome, reason, processor or mailet is a label, not
 * part of the name; counters are exposed with {@code _total}, timers in seconds. A name no rule matches is exposed
 * with its dots as underscores (and {@code _seconds} for a timer). The full list is in docs/app.md ("Metrics").
 */
public final class PrometheusNames {
    private PrometheusNames() {
    }

    /** The rules, first match wins: more specific patterns come before the general ones. */
    static List<MapperConfig> rules() {
        List<MapperConfig> rules = new ArrayList<>();
        // smtp front end
        rule(rules, "smtp.accepted", "smtp_accepted_messages");
        rule(rules, "smtp.connections", "smtp_connections");
        rule(rules, "smtp.inflow.delayed", "smtp_inflow_delayed_sessions");
        rule(rules, "smtp.inflow.timeout", "smtp_inflow_timeouts");
        // smtp.rejected.<SmtpReason in lower case>, the PROXY protocol's proxy_header_invalid and proxy_not_allowed too
        rule(rules, "smtp.rejected.*", "smtp_rejections", "reason", "${0}");
        // spool
        rule(rules, "spool.open.messages", "spool_open_messages");
        rule(rules, "spool.*.size", "spool_messages", "area", "${0}");
        rule(rules, "spool.corrupt.moved", "spool_corrupt_entries");
        // pipeline (PipelineMetricNames builds these names)
        rule(rules, "processor.*", "processor_duration_seconds", "processor", "${0}");
        rule(rules, "mailet.*.*.exceptions", "mailet_exceptions", "processor", "${0}", "mailet", "${1}");
        rule(rules, "mailet.*.*", "mailet_duration_seconds", "processor", "${0}", "mailet", "${1}");
        rule(rules, "matcher.*.*.exceptions", "matcher_exceptions", "processor", "${0}", "matcher", "${1}");
        rule(rules, "pipeline.queued", "pipeline_queued_messages");
        rule(rules, "pipeline.processed", "pipeline_processed_messages");
        rule(rules, "pipeline.failed", "pipeline_failed_runs");
        rule(rules, "pipeline.error", "pipeline_error_messages");
        rule(rules, "mime.limits.exceeded", "mime_limit_exceeded_messages");
        // delivery
        rule(rules, "delivery.attempt", "delivery_attempt_duration_seconds");
        rule(rules, "delivery.queue.size", "delivery_queued_messages");
        rule(rules, "delivery.immediate", "delivery_immediate_attempts");
        // pooled connections found dead before a transaction and replaced: connections, not recipients
        rule(rules, "delivery.reconnected", "delivery_reconnected_connections");
        rule(rules, "delivery.*", "delivery_recipients", "outcome", "${0}");
        // S/MIME
        rule(rules, "smime.sign.time", "smime_sign_duration_seconds");
        rule(rules, "smime.sign.skipped.already-smime", "smime_sign_messages", "outcome", "already-smime");
        rule(rules, "smime.sign.*", "smime_sign_messages", "outcome", "${0}");
        rule(rules, "smime.encrypt.time", "smime_encrypt_duration_seconds");
        rule(rules, "smime.encrypt.no-certificate", "smime_encrypt_recipients_without_certificate");
        rule(rules, "smime.encrypt.*", "smime_encrypt_messages", "outcome", "${0}");
        rule(rules, "smime.decrypt.time", "smime_decrypt_duration_seconds");
        rule(rules, "smime.decrypt.*", "smime_decrypt_messages", "outcome", "${0}");
        rule(rules, "smime.verify.time", "smime_verify_duration_seconds");
        rule(rules, "smime.verify.harvested", "smime_harvested_certificates");
        rule(rules, "smime.verify.*", "smime_verify_messages", "status", "${0}");
        rule(rules, "policy.decision.*.*", "smime_policy_decisions", "setting", "${0}", "outcome", "${1}");
        // reload
        rule(rules, "reload.*", "reloads", "outcome", "${0}");
        return rules;
    }

    /** The rules as the Prometheus client's label mapper. */
    static CustomLabelMapper mapper() {
        return new CustomLabelMapper(rules());
    }

    private static void rule(List<MapperConfig> rules, String match, String name, String... labels) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        rules.add(new MapperConfig(match, name, map));
    }
}
