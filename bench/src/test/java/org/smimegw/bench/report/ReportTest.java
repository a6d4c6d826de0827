package org.smimegw.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.bench.Rows.row;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReportTest {

    private static final Metric RATE = new Metric("a / b", "×", r -> r.load("a").flatMap(a -> r.load("b")
            .map(b -> a.deliveredPerSecond() / b.deliveredPerSecond())));
    private static final Metric COLD = new Metric("cold start", " s", r -> Optional.ofNullable(r.figures().get("cold")));

    private static SuiteRun run(int index, double a, double b) {
        SuiteRun run = new SuiteRun(index);
        run.add(row("a", a, 1));
        run.add(row("b", b, 1));
        run.figure("cold", 3.0 + index / 10.0);
        return run;
    }

    @Test
    void everyTargetShowsItsValuePerRunItsMinMaxAndWhetherEveryRunMetIt() {
        List<SuiteRun> runs = List.of(run(1, 300, 100), run(2, 200, 100), run(3, 260, 100));
        Report report = new Report(Map.of(), runs, "Targets (test)", List.of(new Target(RATE, 2.5, true)),
                List.of(COLD));

        assertThat(report.values(RATE)).containsExactly(3.0, 2.0, 2.6);
        String md = report.markdown();
        assertThat(md).contains("## Targets (test)\n\n| target | bound | run 1 | run 2 | run 3 | min–max | met |")
                .contains("| a / b | ≥ 2.50× | 3.00× | 2.00× | 2.60× | 2.00–3.00× | partly |")
                .contains("## Informational (no target)")
                .contains("| cold start | 3.10 s | 3.20 s | 3.30 s | 3.10–3.30 s |");
    }

    @Test
    void aTargetNoRunMeasuredSaysSo() {
        Target missing = new Target(new Metric("x", " s", r -> Optional.empty()), 2, false);
        Target failing = new Target(new Metric("y", " s", r -> {
            throw new IllegalStateException("a row without what the metric needs");
        }), 2, false);
        Report report = new Report(Map.of(), List.of(run(1, 1, 1)), "Targets", List.of(missing, failing), List.of());
        assertThat(report.met(missing)).isEqualTo("not measured");
        assertThat(report.markdown()).contains("| x | ≤ 2.00 s | – | – | not measured |")
                .contains("| y | ≤ 2.00 s | – | – | not measured |").doesNotContain("Informational");
    }

    @Test
    void noRunMeetingItIsANo() {
        Report report = new Report(Map.of(), List.of(run(1, 100, 100), run(2, 150, 100)), "Targets",
                List.of(new Target(RATE, 2.5, true)), List.of());
        assertThat(report.markdown()).contains("| 1.00–1.50× | **no** |");
    }
}
