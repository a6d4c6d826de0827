package org.smimegw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.admin.AdminServer;
import org.smimegw.gateway.admin.HealthReport;
import org.smimegw.gateway.admin.PrometheusMetrics;

class ReloadCommandTest {
    @TempDir
    Path dir;

    @Test
    void postsToTheAdminEndpointNamedInTheConfig() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (AdminServer admin = new AdminServer(new InetSocketAddress("127.0.0.1", 0),
                new PrometheusMetrics(new MetricRegistry()), () -> new HealthReport(Map.of(), Map.of()),
                () -> "policy: " + calls.incrementAndGet() + " rules")) {
            admin.start();
            Path config = dir.resolve("gateway.yaml");
            Files.writeString(config, "admin:\n  port: " + admin.address().getPort() + "\n");

            MainTest.Result result = MainTest.run("reload", "--config", config.toString());

            assertThat(result.err()).isEmpty();
            assertThat(result.code()).isZero();
            assertThat(result.out().strip()).isEqualTo("reloaded: policy: 1 rules");
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void refusedReloadIsNonZeroWithTheReason() throws Exception {
        try (AdminServer admin = new AdminServer(new InetSocketAddress("127.0.0.1", 0),
                new PrometheusMetrics(new MetricRegistry()), () -> new HealthReport(Map.of(), Map.of()),
                () -> {
                    throw new IllegalArgumentException("policy.yaml:7: unknown algorithm 'rc2'");
                })) {
            admin.start();
            MainTest.Result result = MainTest.run("reload", "--admin",
                    "http://127.0.0.1:" + admin.address().getPort());
            assertThat(result.code()).isEqualTo(ExitCodes.CONFIG);
            assertThat(result.err().strip())
                    .isEqualTo("reload: reload refused: policy.yaml:7: unknown algorithm 'rc2'");
        }
    }

    @Test
    void gatewayNotRunning() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MainTest.Result result = MainTest.run("reload", "--admin", "http://127.0.0.1:" + closedPort);
        assertThat(result.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).contains("is it running?");
    }
}
