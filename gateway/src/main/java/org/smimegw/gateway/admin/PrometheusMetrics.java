package org.smimegw.gateway.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import com.codahale.metrics.MetricRegistry;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.smimegw.gateway.app.CertificateServices.AddressedCertificate;

/**
 * What {@code GET /metrics} serves, in the Prometheus text format: the gateway's Dropwizard registry named and
 * labelled by {@link PrometheusNames} ({@link DropwizardCollector}), the days until expiry of users' key certificates
 * and trust anchors ({@link CertificateExpiryCollector}), and the JVM and process metrics of the Prometheus JVM
 * instrumentation ({@code jvm_*}, {@code process_*}). Every scrape reads them fresh.
 */
public final class PrometheusMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** The gateway's metrics and the JVM's, without certificates. */
    public PrometheusMetrics(MetricRegistry metrics) {
        this(metrics, List::of, List::of, Clock.systemUTC());
    }

    /**
     * @param userKeys     the certificates of the keys held for internal users (read at each scrape)
     * @param trustAnchors the trust anchors (read at each scrape)
     */
    public PrometheusMetrics(MetricRegistry metrics, Supplier<List<AddressedCertificate>> userKeys,
                             Supplier<List<X509Certificate>> trustAnchors, Clock clock) {
        registry.register(new DropwizardCollector(metrics, PrometheusNames.mapper()));
        registry.register(new CertificateExpiryCollector(userKeys, trustAnchors, clock));
        JvmMetrics.builder().register(registry);
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** Writes a fresh scrape of every metric. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
