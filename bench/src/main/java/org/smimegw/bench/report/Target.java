package org.smimegw.bench.report;

/**
 * One of the targets: a metric and the bound it must meet.
 *
 * @param metric  the value, computed from a run
 * @param bound   the target value
 * @param atLeast true: value ≥ bound is met; false: value ≤ bound is met
 */
public record Target(Metric metric, double bound, boolean atLeast) {

    public boolean met(double v) {
        return atLeast ? v >= bound : v <= bound;
    }

    public String boundText() {
        return (atLeast ? "≥ " : "≤ ") + Report.num(bound) + metric.unit();
    }
}
