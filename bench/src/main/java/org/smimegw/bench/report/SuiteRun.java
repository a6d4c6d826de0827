package org.smimegw.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smimegw.bench.baseline.CryptoResult;
import org.smimegw.bench.load.ThroughputResult;

/** Everything one repetition of the suite measured. Filled by one thread. */
public final class SuiteRun {

    private final int index;
    private final List<ThroughputResult> load = new ArrayList<>();
    private final List<CryptoResult> crypto = new ArrayList<>();
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<GatewayStart> starts = new ArrayList<>();
    private double machineLoadBefore;
    private double machineLoadAfter;

    public SuiteRun(int index) {
        this.index = index;
    }

    public int index() {
        return index;
    }

    public void add(ThroughputResult r) {
        load.add(r);
    }

    public void add(CryptoResult r) {
        crypto.add(r);
    }

    /** A named scalar (e.g. gateway start time in ms). */
    public void figure(String name, double value) {
        figures.put(name, value);
    }

    public void note(String text) {
        notes.add(text);
    }

    public List<ThroughputResult> load() {
        return load;
    }

    public List<CryptoResult> crypto() {
        return crypto;
    }

    public Map<String, Double> figures() {
        return figures;
    }

    public List<String> notes() {
        return notes;
    }

    public Optional<ThroughputResult> load(String name) {
        return load.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Optional<CryptoResult> crypto(String name) {
        return crypto.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public void add(GatewayStart start) {
        starts.add(start);
    }

    /** Every gateway start of this run, in order. */
    public List<GatewayStart> starts() {
        return List.copyOf(starts);
    }

    public void machineLoad(double before, double after) {
        this.machineLoadBefore = before;
        this.machineLoadAfter = after;
    }

    public double machineLoadBefore() {
        return machineLoadBefore;
    }

    public double machineLoadAfter() {
        return machineLoadAfter;
    }
}
