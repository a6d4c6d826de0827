package org.smimegw.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.javalin.Javalin;
import io.javalin.http.Context;

import org.smimegw.gateway.container.MailetContainer;
import org.smimegw.gateway.container.MailetOutline;
import org.smimegw.gateway.reload.ContainerHolder;

/** The mailet container in force as processors and mailets, each with its count and timings from the metrics. */
final class PipelineApi implements Routes {
    record MailetView(int index, String matcher, String mailet, Map<String, String> parameters, int line, long count,
                      double meanMillis, double p99Millis, long exceptions) {
    }

    private final ContainerHolder containers;
    private final MetricRegistry metrics;

    PipelineApi(ContainerHolder containers, MetricRegistry metrics) {
        this.containers = containers;
        this.metrics = metrics;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/pipeline", this::pipeline, Role.ADMIN);
    }

    private void pipeline(Context ctx) {
        MailetContainer container = containers.container();
        if (container == null) {
            throw new ApiException(503, "the pipeline is not running");
        }
        Map<String, List<MailetView>> processors = new LinkedHashMap<>();
        for (MailetOutline m : container.outline()) {
            Timer timer = metrics.getTimers().get(m.metricName());
            Counter exceptions = metrics.getCounters().get(m.metricName() + ".exceptions");
            Snapshot snapshot = timer == null ? null : timer.getSnapshot();
            processors.computeIfAbsent(m.processor(), p -> new ArrayList<>()).add(new MailetView(m.index(),
                    m.matcher(), m.mailet(), m.parameters(), m.line(), timer == null ? 0 : timer.getCount(),
                    snapshot == null ? 0 : millis(snapshot.getMean()),
                    snapshot == null ? 0 : millis(snapshot.get99thPercentile()),
                    exceptions == null ? 0 : exceptions.getCount()));
        }
        List<Map<String, Object>> json = new ArrayList<>();
        processors.forEach((name, mailets) -> json.add(Map.of("name", name, "mailets", mailets)));
        ctx.json(Map.of("file", container.source().toString(), "processors", json));
    }

    private static double millis(double nanos) {
        return Math.round(nanos / TimeUnit.MILLISECONDS.toNanos(1) * 1000.0) / 1000.0;
    }
}
