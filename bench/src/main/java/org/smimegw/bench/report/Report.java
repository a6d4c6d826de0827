package org.smimegw.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.smimegw.bench.baseline.CryptoResult;
import org.smimegw.bench.load.ThroughputResult;

/**
 * Writes the suite's runs as Markdown and JSON: the targets with their value per run and min–max over the runs, the
 * informational metrics the same way, then every row of every run.
 */
public final class Report {

    private final Map<String, Object> environment;
    private final List<SuiteRun> runs;
    private final String targetsHeading;
    private final List<Target> targets;
    private final List<Metric> informational;

    /**
     * @param targetsHeading what the targets are (the issue, the conditions), the title of the targets table
     * @param informational  metrics without a target, shown in a table after the targets
     */
    public Report(Map<String, Object> environment, List<SuiteRun> runs, String targetsHeading, List<Target> targets,
                  List<Metric> informational) {
        this.environment = environment;
        this.runs = runs;
        this.targetsHeading = targetsHeading;
        this.targets = targets;
        this.informational = informational;
    }

    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    /** The metric's value in every run, in run order (NaN when not measured). */
    public List<Double> values(Metric metric) {
        return runs.stream().map(metric::of).toList();
    }

    /** "yes" when every measured run meets the target, "**no**" when none does, else "partly". */
    public String met(Target target) {
        List<Double> measured = values(target.metric()).stream().filter(v -> !v.isNaN()).toList();
        if (measured.isEmpty()) {
            return "not measured";
        }
        long met = measured.stream().filter(target::met).count();
        return met == measured.size() ? "yes" : met == 0 ? "**no**" : "partly";
    }

    public void write(Path markdown, Path json) throws IOException {
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, markdown());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(json.toFile(), jsonTree());
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# smime-gateway benchmark report\n\n");
        for (Map.Entry<String, Object> e : environment.entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        md.append("\n## ").append(targetsHeading).append("\n\n| target | bound | ").append(runColumns())
                .append("min–max | met |\n|---|---|").append("---|".repeat(runs.size())).append("---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.metric().name()).append(" | ").append(t.boundText()).append(" | ")
                    .append(valueColumns(t.metric())).append(met(t)).append(" |\n");
        }
        if (!informational.isEmpty()) {
            md.append("\n## Informational (no target)\n\n| figure | ").append(runColumns()).append("min–max |\n|---|")
                    .append("---|".repeat(runs.size())).append("---|\n");
            for (Metric m : informational) {
                md.append("| ").append(m.name()).append(" | ").append(valueColumns(m).stripTrailing()).append('\n');
            }
        }
        for (SuiteRun r : runs) {
            md.append("\n## Run ").append(r.index()).append(" (load average before ").append(num(r.machineLoadBefore()))
                    .append(", after ").append(num(r.machineLoadAfter())).append(")\n\n");
            md.append("### SMTP throughput and latency\n\n");
            md.append("| scenario | SUT | size B | rcpt | sess | rate/s | accepted | delivered msg/s | MB/s | "
                    + "accept p50/p95/p99 ms | e2e p50/p95/p99 ms | SUT CPU % | SUT CPU ms/msg | bench CPU % | "
                    + "machine busy % | peak heap MB | failed |\n");
            md.append("|---".repeat(17)).append("|\n");
            for (ThroughputResult t : r.load()) {
                md.append("| ").append(t.name()).append(" | ").append(t.sut()).append(" | ").append(t.messageBytes())
                        .append(" | ").append(t.recipients()).append(" | ").append(t.sessions()).append(" | ")
                        .append(t.ratePerSecond() > 0 ? num(t.ratePerSecond()) : "max").append(" | ")
                        .append(t.accepted()).append(" | ").append(num(t.deliveredPerSecond())).append(" | ")
                        .append(num(t.megabytesPerSecond())).append(" | ")
                        .append(lat(t.accept())).append(" | ").append(lat(t.endToEnd())).append(" | ")
                        .append(t.sutCpuPercent() > 0 ? num(t.sutCpuPercent()) : "–").append(" | ")
                        .append(t.sutCpuMillisPerMessage() > 0 ? num(t.sutCpuMillisPerMessage()) : "–").append(" | ")
                        .append(num(t.benchCpuPercent())).append(" | ").append(num(t.machineBusyPercent())).append(" | ")
                        .append(t.peakHeapMb() >= 0 ? num(t.peakHeapMb()) : "–").append(" | ")
                        .append(t.failed()).append(" |\n");
            }
            if (!r.crypto().isEmpty()) {
                md.append("\n### Sign+encrypt outside the gateway\n\n| baseline | key | size B | rcpt | workers | "
                        + "msg/s | CPU ms/msg | messages | what ran |\n|---|---|---|---|---|---|---|---|---|\n");
                for (CryptoResult c : r.crypto()) {
                    md.append("| ").append(c.name()).append(" | ").append(c.keyType()).append(" | ")
                            .append(c.messageBytes()).append(" | ").append(c.recipients()).append(" | ")
                            .append(c.workers()).append(" | ").append(num(c.perSecond())).append(" | ")
                            .append(num(c.cpuMillisPerMessage())).append(" | ")
                            .append(c.messages()).append(" | ").append(c.note().replace("|", "\\|")).append(" |\n");
                }
            }
            if (!r.figures().isEmpty()) {
                md.append("\n### Other figures\n\n| figure | value |\n|---|---|\n");
                r.figures().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(num(v)).append(" |\n"));
            }
            md.append("\n### What arrived at the sink (top-level headers counted per row)\n\n");
            for (ThroughputResult t : r.load()) {
                if (!t.sinkSaw().isEmpty()) {
                    md.append("- ").append(t.name()).append(": ").append(t.sinkSaw()).append('\n');
                }
            }
            Set<String> errors = new LinkedHashSet<>();
            for (ThroughputResult t : r.load()) {
                for (String e : t.errors()) {
                    errors.add(t.name() + ": " + e);
                }
            }
            if (!r.notes().isEmpty() || !errors.isEmpty()) {
                md.append("\n### Notes and errors\n\n");
                r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
                errors.forEach(n -> md.append("- ").append(n).append('\n'));
            }
        }
        md.append("\nColumns: *delivered msg/s* = messages accepted in the measured phase / (last arrival at the sink − "
                + "start), the sustained end-to-end rate; *accept* = final dot sent → 250 read; *e2e* = 250 read → "
                + "arrival at the sink (same clock); *SUT CPU* = the relay's process tree (utime+stime+children from "
                + "/proc), 100 % = one core; *machine busy* = all cores, including other users of the machine.\n");
        return md.toString();
    }

    private String runColumns() {
        StringBuilder s = new StringBuilder();
        runs.forEach(r -> s.append("run ").append(r.index()).append(" | "));
        return s.toString();
    }

    /** "v1 | v2 | ... | min–max | " of a metric. */
    private String valueColumns(Metric m) {
        StringBuilder s = new StringBuilder();
        List<Double> values = values(m);
        for (double v : values) {
            s.append(Double.isNaN(v) ? "–" : num(v) + m.unit()).append(" | ");
        }
        List<Double> measured = values.stream().filter(v -> !v.isNaN()).toList();
        if (measured.isEmpty()) {
            return s.append("– | ").toString();
        }
        double min = measured.stream().min(Double::compare).orElseThrow();
        double max = measured.stream().max(Double::compare).orElseThrow();
        return s.append(num(min)).append("–").append(num(max)).append(m.unit()).append(" | ").toString();
    }

    private static String lat(org.smimegw.bench.load.LatencyStats.Summary s) {
        return s.count() == 0 ? "–" : num(s.p50()) + " / " + num(s.p95()) + " / " + num(s.p99());
    }

    private Map<String, Object> jsonTree() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        List<Map<String, Object>> ts = new ArrayList<>();
        for (Target t : targets) {
            Map<String, Object> m = metricJson(t.metric());
            m.put("bound", t.bound());
            m.put("atLeast", t.atLeast());
            List<Double> measured = values(t.metric()).stream().filter(v -> !v.isNaN()).toList();
            m.put("met", measured.isEmpty() ? null : measured.stream().allMatch(t::met));
            ts.add(m);
        }
        root.put("targets", ts);
        root.put("informational", informational.stream().map(this::metricJson).toList());
        List<Map<String, Object>> rs = new ArrayList<>();
        for (SuiteRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.index());
            m.put("loadAverageBefore", r.machineLoadBefore());
            m.put("loadAverageAfter", r.machineLoadAfter());
            m.put("load", r.load());
            m.put("crypto", r.crypto());
            m.put("figures", r.figures());
            m.put("notes", r.notes());
            rs.add(m);
        }
        root.put("runs", rs);
        return root;
    }

    private Map<String, Object> metricJson(Metric metric) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", metric.name());
        m.put("unit", metric.unit());
        List<Double> values = values(metric);
        m.put("values", values.stream().map(v -> v.isNaN() ? null : v).toList());
        List<Double> measured = values.stream().filter(v -> !v.isNaN()).toList();
        m.put("min", measured.stream().min(Double::compare).orElse(null));
        m.put("max", measured.stream().max(Double::compare).orElse(null));
        return m;
    }
}
