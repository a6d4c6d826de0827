package org.smimegw.gateway.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;

import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/**
 * The Dropwizard registry as Prometheus metric families, named and labelled by a {@link CustomLabelMapper}
 * ({@link PrometheusNames}). Unlike the client's {@code DropwizardExports}, which makes one family per Dropwizard
 * metric (and so refuses two metrics mapped to one name with different labels), it gathers every Dropwizard metric
 * mapped to one name into one family with one data point per label set. Read at each scrape: a metric removed from
 * the registry (e.g. a mailet gone after a reload) is gone from the next scrape. Conversions are those of the
 * client's bridge: counter → counter, gauge → gauge (numbers and booleans), timer → summary in seconds, histogram
 * → summary, meter → counter.
 */
final class DropwizardCollector implements MultiCollector {
    private static final double NANOS_TO_SECONDS = 1.0 / TimeUnit.SECONDS.toNanos(1);

    private final MetricRegistry registry;
    private final CustomLabelMapper mapper;

    DropwizardCollector(MetricRegistry registry, CustomLabelMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        registry.getCounters().forEach((name, counter) -> family(families, name, Kind.COUNTER, "")
                .add(labels(name), counter.getCount()));
        registry.getMeters().forEach((name, meter) -> family(families, name, Kind.COUNTER, "")
                .add(labels(name), meter.getCount()));
        registry.getGauges().forEach((name, gauge) -> {
            Double value = numeric(gauge);
            if (value != null) {
                family(families, name, Kind.GAUGE, "").add(labels(name), value);
            }
        });
        registry.getTimers().forEach((name, timer) -> family(families, name, Kind.SUMMARY, "_seconds")
                .add(labels(name), timer.getSnapshot(), timer.getCount(), NANOS_TO_SECONDS));
        registry.getHistograms().forEach((name, histogram) -> family(families, name, Kind.SUMMARY, "")
                .add(labels(name), histogram.getSnapshot(), histogram.getCount(), 1.0));
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        families.values().forEach(f -> snapshots.metricSnapshot(f.snapshot()));
        return snapshots.build();
    }

    private Family family(Map<String, Family> families, String dropwizardName, Kind kind, String unitSuffix) {
        String name = PrometheusNaming.sanitizeMetricName(mapper.getName(dropwizardName));
        if (!unitSuffix.isEmpty() && !name.endsWith(unitSuffix)) {
            name += unitSuffix;
        }
        Family family = families.computeIfAbsent(name, n -> new Family(n, kind, dropwizardName));
        if (family.kind != kind) {
            throw new IllegalStateException("Dropwizard metrics " + family.firstSource + " and " + dropwizardName
                    + " are of different kinds but both map to " + name);
        }
        return family;
    }

    private Labels labels(String dropwizardName) {
        return mapper.getLabels(dropwizardName, List.of(), List.of());
    }

    private static Double numeric(Gauge<?> gauge) {
        Object value = gauge.getValue();
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return null;
    }

    private enum Kind { COUNTER, GAUGE, SUMMARY }

    /** The data points of one Prometheus family, gathered from every Dropwizard metric mapped to its name. */
    private static final class Family {
        private final String name;
        private final Kind kind;
        private final String firstSource;
        private final List<CounterDataPointSnapshot> counters = new ArrayList<>();
        private final List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
        private final List<SummaryDataPointSnapshot> summaries = new ArrayList<>();

        Family(String name, Kind kind, String firstSource) {
            this.name = name;
            this.kind = kind;
            this.firstSource = firstSource;
        }

        void add(Labels labels, double value) {
            if (kind == Kind.COUNTER) {
                counters.add(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
            } else {
                gauges.add(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
            }
        }

        void add(Labels labels, Snapshot snapshot, long count, double factor) {
            Quantiles quantiles = Quantiles.builder()
                    .quantile(0.5, snapshot.getMedian() * factor)
                    .quantile(0.75, snapshot.get75thPercentile() * factor)
                    .quantile(0.95, snapshot.get95thPercentile() * factor)
                    .quantile(0.99, snapshot.get99thPercentile() * factor)
                    .quantile(0.999, snapshot.get999thPercentile() * factor)
                    .build();
            summaries.add(SummaryDataPointSnapshot.builder().labels(labels).quantiles(quantiles).count(count).build());
        }

        MetricSnapshot snapshot() {
            MetricMetadata metadata = new MetricMetadata(name, "Gateway metric (Dropwizard " + firstSource
                    + (counters.size() + gauges.size() + summaries.size() > 1 ? " and others" : "") + ")");
            return switch (kind) {
                case COUNTER -> new CounterSnapshot(metadata, counters);
                case GAUGE -> new GaugeSnapshot(metadata, gauges);
                case SUMMARY -> new SummarySnapshot(metadata, summaries);
            };
        }
    }
}
