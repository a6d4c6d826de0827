package org.smimegw.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[99 - i] = (i + 1) * 1_000_000L; // 1..100 ms, reversed: the input order must not matter
        }
        LatencyStats s = LatencyStats.of(values);
        assertThat(s.percentileMillis(50)).isEqualTo(50.0);
        assertThat(s.percentileMillis(95)).isEqualTo(95.0);
        assertThat(s.percentileMillis(99)).isEqualTo(99.0);
        assertThat(s.percentileMillis(100)).isEqualTo(100.0);
        assertThat(s.maxMillis()).isEqualTo(100.0);
        assertThat(values[0]).isEqualTo(100_000_000L); // not sorted in place
    }

    @Test
    void smallSamplesRoundTheRankUp() {
        LatencyStats s = LatencyStats.of(new long[] {30, 10, 20});
        assertThat(s.percentileNanos(50)).isEqualTo(20);
        assertThat(s.percentileNanos(34)).isEqualTo(20);
        assertThat(s.percentileNanos(33)).isEqualTo(10);
        assertThat(s.percentileNanos(99)).isEqualTo(30);
    }

    @Test
    void emptyIsZeroAndBadPercentileIsRefused() {
        LatencyStats s = LatencyStats.of(new long[0]);
        assertThat(s.summary()).isEqualTo(new LatencyStats.Summary(0, 0, 0, 0, 0));
        assertThatThrownBy(() -> s.percentileNanos(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.percentileNanos(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
