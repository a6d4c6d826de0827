package org.smimegw.gateway.admin;

import java.io.IOException;
import java.io.OutputStream;

import com.codahale.metrics.MetricRegistry;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The gateway's Dropwizard {@link MetricRegistry} in the Prometheus text format, through the Prometheus client's
 * Dropwizard bridge (names are sanitised by the bridge: {@code smtp.accepted} becomes {@code smtp_accepted_total}).
 */
public final class PrometheusMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public PrometheusMetrics(MetricRegistry metrics) {
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** Writes a fresh scrape of every metric. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
