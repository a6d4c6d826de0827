package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QueueIdGeneratorTest {

    @Test
    void millisecondsThenSequenceThenTheInstancesRandomDigitsInUpperCaseHex() {
        Instant now = Instant.parse("2026-11-28T09:00:00.123Z");
        QueueIdGenerator gen = new QueueIdGenerator(Clock.fixed(now, ZoneOffset.UTC));
        String first = gen.next();
        String second = gen.next();
        String millis = String.format(Locale.ROOT, "%012X", now.toEpochMilli());
        assertThat(first).hasSize(24).startsWith(millis + "000000");
        assertThat(second).startsWith(millis + "000001");
        assertThat(second.substring(18)).isEqualTo(first.substring(18)).matches("[0-9A-F]{6}");
        assertThat(QueueIdGenerator.isValid(first)).isTrue();
    }

    @Test
    void theSequenceWrapsWithinSixDigits() {
        QueueIdGenerator gen = new QueueIdGenerator(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        String id = null;
        for (int i = 0; i <= 0xFFFFFF + 1; i++) {
            id = gen.next();
            if (i == 0xFFFFFF) {
                assertThat(id.substring(12, 18)).isEqualTo("FFFFFF");
            }
        }
        assertThat(id).startsWith("000000000000000000");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"01A221FF1EAE00000068175", "01A221FF1EAE00000068175E0", "01a221ff1eae00000068175e",
            "01A221FF1EAE00000068175G", "../A221FF1EAE00000068175E", "01A221FF1EAE0000006817 E", "01A221FF1EAE00000068175\u0665"})
    void anythingButTwentyFourUpperCaseHexDigitsIsNoQueueId(String id) {
        assertThat(QueueIdGenerator.isValid(id)).isFalse();
    }
}
