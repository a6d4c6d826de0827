package org.smimegw.bench.report;

import java.util.Optional;
import java.util.function.Function;

/**
 * One of the targets: a value computed from a run (a ratio of two throughputs, a latency, a flag) and the
 * bound it must meet.
 *
 * @param name        what is compared, e.g. "gateway plain / Postfix plain"
 * @param bound       the target value
 * @param atLeast     true: value ≥ bound is met; false: value ≤ bound is met
 * @param unit        "×", "ms", "s", "" ...
 * @param value       computes the value from a run, empty when a part of it was not measured
 */
public record Target(String name, double bound, boolean atLeast, String unit,
                     Function<SuiteRun, Optional<Double>> value) {

    public boolean met(double v) {
        return atLeast ? v >= bound : v <= bound;
    }

    public String boundText() {
        return (atLeast ? "≥ " : "≤ ") + Report.num(bound) + unit;
    }
}
