package org.smimegw.console;

import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.javalin.Javalin;
import io.javalin.http.Context;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.StoredCertificate;
import org.smimegw.gateway.spool.SpoolArea;

/**
 * One page of how the gateway is doing, read from the same metric registry that {@code /metrics} exposes (never from
 * its text): mail accepted, delivered, deferred and bounced with the delivery rate, the spool areas, S/MIME verdicts
 * and operations, policy decisions, and the certificates that expire within {@value #EXPIRY_WARNING_DAYS} days.
 */
final class OverviewApi implements Routes {
    static final int EXPIRY_WARNING_DAYS = 30;

    private final MetricRegistry metrics;
    private final FileCertificateStore store;
    private final Clock clock;

    OverviewApi(MetricRegistry metrics, FileCertificateStore store, Clock clock) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/overview", this::overview, Role.ADMIN);
    }

    private void overview(Context ctx) {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("accepted", count("smtp.accepted"));
        mail.put("rejected", sum(metrics.getCounters((name, m) -> name.startsWith("smtp.rejected."))));
        mail.put("delivered", count("delivery.delivered"));
        mail.put("deferred", count("delivery.deferred"));
        mail.put("bounced", count("delivery.bounced"));
        mail.put("pipelineErrors", count("pipeline.error"));
        Timer attempts = metrics.getTimers().get("delivery.attempt");
        mail.put("deliveryAttemptsPerMinute", attempts == null ? 0.0
                : Math.round(attempts.getOneMinuteRate() * 60 * 100) / 100.0);
        json.put("mail", mail);
        Map<String, Object> spool = new LinkedHashMap<>();
        for (SpoolArea area : SpoolArea.values()) {
            Gauge<?> gauge = metrics.getGauges().get("spool." + area.directoryName() + ".size");
            spool.put(area.directoryName(), gauge == null ? null : gauge.getValue());
        }
        json.put("spool", spool);
        json.put("verdicts", suffixes("smime.verify.", "time"));
        json.put("smime", suffixes("smime.", "verify."));
        json.put("policyDecisions", suffixes("policy.decision.", ""));
        json.put("expiring", expiring());
        ctx.json(json);
    }

    private long count(String name) {
        Counter counter = metrics.getCounters().get(name);
        return counter == null ? 0 : counter.getCount();
    }

    private static long sum(SortedMap<String, Counter> counters) {
        return counters.values().stream().mapToLong(Counter::getCount).sum();
    }

    /** Counters under {@code prefix}, by the rest of their name (those starting with {@code skip} left out). */
    private Map<String, Long> suffixes(String prefix, String skip) {
        Map<String, Long> result = new LinkedHashMap<>();
        metrics.getCounters((name, m) -> name.startsWith(prefix)).forEach((name, counter) -> {
            String rest = name.substring(prefix.length());
            if (skip.isEmpty() || !rest.startsWith(skip)) {
                result.put(rest, counter.getCount());
            }
        });
        return result;
    }

    private List<CertificateView> expiring() {
        Instant now = clock.instant();
        List<X509CRL> crls = store.trust().crls();
        List<CertificateView> expiring = new ArrayList<>();
        for (StoredCertificate c : store.list()) {
            if (c.kind() != StoredCertificate.Kind.HARVESTED
                    && CertificateView.daysLeft(c.certificate(), now) <= EXPIRY_WARNING_DAYS) {
                expiring.add(CertificateView.of(c.kind().label(), c.certificate(), c.addresses(), "file store", crls,
                        now));
            }
        }
        expiring.sort(java.util.Comparator.comparingLong(CertificateView::daysLeft));
        return expiring;
    }
}
