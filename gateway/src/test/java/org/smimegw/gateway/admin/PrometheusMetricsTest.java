package org.smimegw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.app.CertificateServices.AddressedCertificate;
import org.smimegw.gateway.smtp.SmtpReason;

/** /metrics in Prometheus conventions: base units, _total counters, labels instead of names built from values. */
class PrometheusMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();

    private String scrape(PrometheusMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void settingsOutcomesProcessorsAndMailetsAreLabelsNotNames() throws Exception {
        // the Dropwizard names the gateway's code registers
        registry.counter("policy.decision.RequireEncryptedSMIMEMessages.refuse").inc(2);
        registry.counter("policy.decision.none.send").inc();
        registry.timer("mailet.transport.SMIMESign").update(Duration.ofMillis(250));
        registry.timer("mailet.transport.RemoteDelivery").update(Duration.ofMillis(10));
        registry.counter("mailet.transport.SMIMESign.exceptions").inc();
        registry.timer("processor.root").update(Duration.ofMillis(3));
        registry.counter("smtp.rejected.relay_denied").inc();
        registry.counter("smtp.rejected.policy_permanent").inc();
        registry.counter("delivery.delivered").inc(4);
        registry.counter("delivery.deferred").inc();
        registry.counter("smime.verify.invalid-signature").inc();
        registry.counter("smime.verify.harvested").inc();
        registry.timer("smime.verify.time").update(Duration.ofMillis(1));
        registry.gauge("spool.incoming.size", () -> () -> 7L);
        registry.counter("reload.failure").inc();

        String text = scrape(new PrometheusMetrics(registry));

        assertThat(text)
                .contains("# TYPE smime_policy_decisions_total counter")
                .contains("smime_policy_decisions_total{outcome=\"refuse\",setting=\"RequireEncryptedSMIMEMessages\"} 2.0")
                .contains("smime_policy_decisions_total{outcome=\"send\",setting=\"none\"} 1.0")
                .contains("# TYPE mailet_duration_seconds summary")
                .contains("mailet_duration_seconds_count{mailet=\"SMIMESign\",processor=\"transport\"} 1")
                .contains("mailet_duration_seconds_count{mailet=\"RemoteDelivery\",processor=\"transport\"} 1")
                .containsPattern("mailet_duration_seconds\\{mailet=\"SMIMESign\",processor=\"transport\",quantile=\"0.5\"} 0\\.25")
                .contains("mailet_exceptions_total{mailet=\"SMIMESign\",processor=\"transport\"} 1.0")
                .contains("processor_duration_seconds_count{processor=\"root\"} 1")
                .contains("smtp_rejections_total{reason=\"relay_denied\"} 1.0")
                .contains("smtp_rejections_total{reason=\"policy_permanent\"} 1.0")
                .contains("delivery_recipients_total{outcome=\"delivered\"} 4.0")
                .contains("delivery_recipients_total{outcome=\"deferred\"} 1.0")
                .contains("smime_verify_messages_total{status=\"invalid-signature\"} 1.0")
                .contains("smime_harvested_certificates_total 1.0")
                .contains("smime_verify_duration_seconds_count 1")
                .contains("spool_messages{area=\"incoming\"} 7.0")
                .contains("reloads_total{outcome=\"failure\"} 1.0");
        // no family name carries a value that belongs in a label
        assertThat(text).doesNotContain("RequireEncryptedSMIMEMessages_refuse").doesNotContain("SMIMESign_")
                .doesNotContain("relay_denied_total");
    }

    @Test
    void proxyProtocolRefusalsAreRejectionReasons() throws Exception {
        registry.counter(SmtpReason.PROXY_HEADER_INVALID.metricName()).inc();
        registry.counter(SmtpReason.PROXY_NOT_ALLOWED.metricName()).inc(2);

        assertThat(scrape(new PrometheusMetrics(registry)))
                .contains("smtp_rejections_total{reason=\"proxy_header_invalid\"} 1.0")
                .contains("smtp_rejections_total{reason=\"proxy_not_allowed\"} 2.0")
                .doesNotContain("proxy_header_invalid_total").doesNotContain("proxy_not_allowed_total");
    }

    @Test
    void hardeningCountersHaveTheirOwnFamilies() throws Exception {
        registry.counter("delivery.reconnected").inc();
        registry.counter("delivery.delivered").inc(3);
        registry.counter(org.smimegw.gateway.spool.FileSpool.CORRUPT_COUNTER).inc(2);
        registry.counter("mime.limits.exceeded").inc();

        assertThat(scrape(new PrometheusMetrics(registry)))
                .contains("delivery_reconnected_connections_total 1.0")
                .contains("delivery_recipients_total{outcome=\"delivered\"} 3.0")
                .doesNotContain("outcome=\"reconnected\"")
                .contains("spool_corrupt_entries_total 2.0")
                .contains("mime_limit_exceeded_messages_total 1.0");
    }

    @Test
    void everyFamilyFollowsTheConventions() throws Exception {
        registry.timer("delivery.attempt").update(Duration.ofMillis(5));
        registry.counter("smtp.accepted").inc();
        registry.timer("some.unmapped.timer").update(Duration.ofMillis(5));

        String text = scrape(new PrometheusMetrics(registry));

        List<String> types = text.lines().filter(l -> l.startsWith("# TYPE ")).toList();
        for (String type : types) {
            String[] parts = type.split(" ");
            String name = parts[2];
            switch (parts[3]) {
                case "counter" -> assertThat(name).as(type).endsWith("_total");
                case "summary", "histogram" -> {
                    if (!name.startsWith("jvm_")) {
                        assertThat(name).as(type).endsWith("_seconds");
                    }
                }
                default -> assertThat(name).as(type).doesNotEndWith("_total");
            }
        }
        assertThat(text).contains("smtp_accepted_messages_total 1.0")
                .contains("delivery_attempt_duration_seconds_count 1")
                .contains("some_unmapped_timer_seconds_count 1");
    }

    @Test
    void jvmAndProcessMetricsAreExposed() throws Exception {
        String text = scrape(new PrometheusMetrics(registry));

        assertThat(text).contains("# TYPE jvm_memory_used_bytes gauge").contains("jvm_threads_current")
                .contains("jvm_gc_collection_seconds").contains("process_cpu_seconds_total")
                .contains("process_start_time_seconds");
    }

    @Test
    void daysUntilExpiryOfEveryUserKeyCertificateAndTrustAnchor() throws Exception {
        TestPki pki = TestPki.create("Expiry Test");
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var alice = pki.user("alice@example.com").validity(now.minus(Duration.ofDays(300)),
                now.plus(Duration.ofDays(29)).plus(Duration.ofHours(12))).issue();
        List<AddressedCertificate> users = new ArrayList<>(
                List.of(new AddressedCertificate("alice@example.com", alice.certificate())));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        PrometheusMetrics metrics = new PrometheusMetrics(registry, () -> users,
                () -> List.of(pki.rootCertificate()), clock);
        String text = scrape(metrics);

        String aliceFingerprint = Certificates.sha256(alice.certificate());
        assertThat(text).contains("# TYPE smime_user_certificate_expiry_days gauge")
                .contains("smime_user_certificate_expiry_days{address=\"alice@example.com\",fingerprint=\""
                        + aliceFingerprint + "\"} 29.5");
        double rootDays = Duration.between(now, pki.rootCertificate().getNotAfter().toInstant()).toSeconds() / 86400.0;
        assertThat(text).contains("smime_trust_anchor_expiry_days{fingerprint=\""
                + Certificates.sha256(pki.rootCertificate()) + "\",subject=\""
                + Certificates.subject(pki.rootCertificate()) + "\"} " + rootDays);

        users.clear(); // the key was removed: its series is gone at the next scrape
        assertThat(scrape(metrics)).doesNotContain("alice@example.com");
    }
}
