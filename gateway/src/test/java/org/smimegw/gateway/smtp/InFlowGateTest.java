package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

class InFlowGateTest {
    private final MetricRegistry metrics = new MetricRegistry();
    private final AtomicInteger backlog = new AtomicInteger();

    @Test
    void passesAtOnceBelowTheLimit() throws Exception {
        InFlowGate gate = new InFlowGate(backlog::get, 10, Duration.ofMinutes(10), metrics);
        backlog.set(9);

        gate.awaitTurn();

        assertThat(metrics.counter("smtp.inflow.delayed").getCount()).isZero();
    }

    @Test
    void waitsWhileTheBacklogIsAtTheLimitAndGoesOnWhenItDrops() throws Exception {
        InFlowGate gate = new InFlowGate(backlog::get, 10, Duration.ofMinutes(10), metrics);
        backlog.set(10);

        CompletableFuture<Void> turn = CompletableFuture.runAsync(() -> {
            try {
                gate.awaitTurn();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(turn).isNotDone();
        backlog.set(3);

        turn.get(30, TimeUnit.SECONDS);
        assertThat(metrics.counter("smtp.inflow.delayed").getCount()).isEqualTo(1);
        assertThat(metrics.counter("smtp.inflow.timeout").getCount()).isZero();
    }

    @Test
    void goesOnAfterTheLongestDelayEvenIfTheBacklogStays() throws Exception {
        InFlowGate gate = new InFlowGate(backlog::get, 10, Duration.ofMillis(50), metrics);
        backlog.set(1000);

        gate.awaitTurn();

        assertThat(metrics.counter("smtp.inflow.timeout").getCount()).isEqualTo(1);
    }

    @Test
    void zeroDelayNeverWaits() throws Exception {
        InFlowGate gate = new InFlowGate(backlog::get, 1, Duration.ZERO, metrics);
        backlog.set(1000);

        gate.awaitTurn();

        assertThat(metrics.counter("smtp.inflow.delayed").getCount()).isZero();
    }
}
