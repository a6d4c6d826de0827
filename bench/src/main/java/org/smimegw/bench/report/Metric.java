package org.smimegw.bench.report;

import java.util.Optional;
import java.util.function.Function;

/**
 * A value computed from one run's rows (a ratio of two throughputs, a latency, a start time).
 *
 * @param name  what it is, e.g. "gateway plain / Postfix plain"
 * @param unit  "×", " ms", " s", "" ...
 * @param value computes the value from a run, empty when a part of it was not measured
 */
public record Metric(String name, String unit, Function<SuiteRun, Optional<Double>> value) {

    /** The value of {@code run}; NaN when not measured (or when computing it failed). */
    public double of(SuiteRun run) {
        try {
            return value.apply(run).orElse(Double.NaN);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
