package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class HeaderDateTest {
    @Test
    void formatsRfc5322InUtcAndFollowsTheSecond() {
        HeaderDate dates = new HeaderDate();
        Instant t = Instant.parse("2026-11-28T09:23:17.100Z");
        assertThat(dates.format(t)).isEqualTo("Sat, 28 Nov 2026 09:23:17 +0000");
        assertThat(dates.format(t.plusMillis(850))).isEqualTo("Sat, 28 Nov 2026 09:23:17 +0000");
        assertThat(dates.format(t.plusMillis(900))).isEqualTo("Sat, 28 Nov 2026 09:23:18 +0000");
        assertThat(dates.format(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("Fri, 1 Jan 2027 00:00:00 +0000");
        assertThat(dates.format(t)).isEqualTo("Sat, 28 Nov 2026 09:23:17 +0000");
    }
}
