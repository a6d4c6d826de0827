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
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.smimegw.bench.baseline.CryptoResult;
import org.smimegw.bench.load.ThroughputResult;

/** Writes the suite's runs as Markdown and JSON: every row of every run, the targets with min–max over runs. */
public final class Report {

    private final Map<String, Object> environment;
    private final List<SuiteRun> runs;
    private final List<Target> targets;

    public Report(Map<String, Object> environment, List<SuiteRun> runs, List<Target> targets) {
        this.environment = environment;
        this.runs = runs;
        this.targets = targets;
    }

    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    /** Per target: values per run (NaN when not measured). */
    public Map<Target, List<Double>> targetValues() {
        Map<Target, List<Double>> out = new LinkedHashMap<>();
        for (Target t : targets) {
            List<Double> values = new ArrayList<>();
            for (SuiteRun r : runs) {
                Optional<Double> v;
                try {
                    v = t.value().apply(r);
                } catch (RuntimeException e) {
                    v = Optional.empty();
                }
                values.add(v.orElse(Double.NaN));
            }
            out.put(t, values);
        }
        return out;
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
        md.append("\n## Targets (issue 6; 10 KB, RSA-2048, 20 sessions unless stated)\n\n");
        md.append("| target | bound | ");
        for (SuiteRun r : runs) {
            md.append("run ").append(r.index()).append(" | ");
        }
        md.append("min–max | met |\n|---|---|");
        md.append("---|".repeat(runs.size())).append("---|---|\n");
        for (Map.Entry<Target, List<Double>> e : targetValues().entrySet()) {
            Target t = e.getKey();
            md.append("| ").append(t.name()).append(" | ").append(t.boundText()).append(" | ");
            double min = Double.NaN;
            double max = Double.NaN;
            for (double v : e.getValue()) {
                md.append(Double.isNaN(v) ? "–" : num(v) + t.unit()).append(" | ");
                if (!Double.isNaN(v)) {
                    min = Double.isNaN(min) ? v : Math.min(min, v);
                    max = Double.isNaN(max) ? v : Math.max(max, v);
                }
            }
            String met = Double.isNaN(min) ? "not measured"
                    : t.met(min) && t.met(max) ? "yes" : !t.met(min) && !t.met(max) ? "**no**" : "partly";
            md.append(Double.isNaN(min) ? "–" : num(min) + "–" + num(max) + t.unit()).append(" | ").append(met)
                    .append(" |\n");
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

    private static String lat(org.smimegw.bench.load.LatencyStats.Summary s) {
        return s.count() == 0 ? "–" : num(s.p50()) + " / " + num(s.p95()) + " / " + num(s.p99());
    }

    private Map<String, Object> jsonTree() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        List<Map<String, Object>> ts = new ArrayList<>();
        for (Map.Entry<Target, List<Double>> e : targetValues().entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", e.getKey().name());
            t.put("bound", e.getKey().bound());
            t.put("atLeast", e.getKey().atLeast());
            t.put("unit", e.getKey().unit());
            t.put("values", e.getValue().stream().map(v -> v.isNaN() ? null : v).toList());
            List<Double> measured = e.getValue().stream().filter(v -> !v.isNaN()).toList();
            t.put("min", measured.stream().min(Double::compare).orElse(null));
            t.put("max", measured.stream().max(Double::compare).orElse(null));
            t.put("met", measured.isEmpty() ? null : measured.stream().allMatch(v -> e.getKey().met(v)));
            ts.add(t);
        }
        root.put("targets", ts);
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
}
