package org.smimegw.gateway.admin;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.smimegw.certstore.Certificates;
import org.smimegw.gateway.app.CertificateServices.AddressedCertificate;

/**
 * Days until expiry (negative once expired) of every certificate whose key the gateway holds for an internal user
 * and of every trust anchor, read from the store at each scrape (so an import, removal or reload shows at the next
 * one): {@code smime_user_certificate_expiry_days{address,fingerprint}} and
 * {@code smime_trust_anchor_expiry_days{subject,fingerprint}} (SHA-256 fingerprint in hex). An alert such as
 * {@code min(smime_user_certificate_expiry_days) < 30} fires 30 days ahead.
 */
final class CertificateExpiryCollector implements MultiCollector {
    static final String USER = "smime_user_certificate_expiry_days";
    static final String TRUST_ANCHOR = "smime_trust_anchor_expiry_days";
    private static final double SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

    private final Supplier<List<AddressedCertificate>> userKeys;
    private final Supplier<List<X509Certificate>> trustAnchors;
    private final Clock clock;

    CertificateExpiryCollector(Supplier<List<AddressedCertificate>> userKeys,
                               Supplier<List<X509Certificate>> trustAnchors, Clock clock) {
        this.userKeys = userKeys;
        this.trustAnchors = trustAnchors;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        Instant now = clock.instant();
        List<GaugeDataPointSnapshot> users = new ArrayList<>();
        for (AddressedCertificate user : userKeys.get().stream().distinct().toList()) {
            users.add(point(Labels.of("address", user.address(), "fingerprint",
                    Certificates.sha256(user.certificate())), user.certificate(), now));
        }
        List<GaugeDataPointSnapshot> anchors = new ArrayList<>();
        for (X509Certificate anchor : trustAnchors.get().stream().distinct().toList()) {
            anchors.add(point(Labels.of("subject", Certificates.subject(anchor), "fingerprint",
                    Certificates.sha256(anchor)), anchor, now));
        }
        return new MetricSnapshots(
                new GaugeSnapshot(new MetricMetadata(USER,
                        "Days until the certificate of an internal user's key expires (negative: expired)"), users),
                new GaugeSnapshot(new MetricMetadata(TRUST_ANCHOR,
                        "Days until a trust anchor of the trust collection expires (negative: expired)"), anchors));
    }

    private static GaugeDataPointSnapshot point(Labels labels, X509Certificate certificate, Instant now) {
        double seconds = Duration.between(now, certificate.getNotAfter().toInstant()).toSeconds();
        return GaugeDataPointSnapshot.builder().labels(labels).value(seconds / SECONDS_PER_DAY).build();
    }
}
