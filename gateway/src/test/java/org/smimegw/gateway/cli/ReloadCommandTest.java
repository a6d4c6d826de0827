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

    @Test
    void severalNodesAreReloadedAndEachResultReported() throws Exception {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        try (AdminServer nodeA = admin(() -> "policy: node a, " + a.incrementAndGet());
             AdminServer nodeB = admin(() -> "policy: node b, " + b.incrementAndGet())) {
            String urlA = "http://127.0.0.1:" + nodeA.address().getPort();
            String urlB = "http://127.0.0.1:" + nodeB.address().getPort();

            MainTest.Result result = MainTest.run("reload", "--admin", urlA, "--admin", urlB);

            assertThat(result.code()).isZero();
            assertThat(result.err()).isEmpty();
            assertThat(result.out().strip().split("\n")).containsExactly(
                    urlA + ": reloaded: policy: node a, 1", urlB + ": reloaded: policy: node b, 1");
            MainTest.Result commas = MainTest.run("reload", "--admin", urlA + "," + urlB);
            assertThat(commas.code()).isZero();
            assertThat(a).hasValue(2);
            assertThat(b).hasValue(2);
        }
    }

    @Test
    void aNodeThatRefusesOrIsDownFailsTheCommandAndTheOthersStillReload() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AtomicInteger good = new AtomicInteger();
        try (AdminServer ok = admin(() -> "policy: " + good.incrementAndGet());
             AdminServer refusing = admin(() -> {
                 throw new IllegalArgumentException("policy.yaml:7: unknown algorithm 'rc2'");
             })) {
            String urlOk = "http://127.0.0.1:" + ok.address().getPort();
            String urlRefusing = "http://127.0.0.1:" + refusing.address().getPort();
            String urlDown = "http://127.0.0.1:" + closedPort;

            MainTest.Result result = MainTest.run("reload", "--admin", urlRefusing, "--admin", urlDown, "--admin",
                    urlOk);

            // a refused configuration is a configuration error, as for one node
            assertThat(result.code()).isEqualTo(ExitCodes.CONFIG);
            assertThat(result.out().strip()).isEqualTo(urlOk + ": reloaded: policy: 1");
            String[] err = result.err().strip().split("\n");
            assertThat(err).hasSize(3);
            assertThat(err[0]).isEqualTo("reload: " + urlRefusing
                    + ": reload refused: policy.yaml:7: unknown algorithm 'rc2'");
            assertThat(err[1]).startsWith("reload: " + urlDown + ": cannot reach the gateway at " + urlDown
                    + "/reload (").endsWith("); is it running?");
            assertThat(err[2]).isEqualTo("reload: 2 of 3 nodes did not reload");
            assertThat(good).hasValue(1);

            // only unreachable: a failure, as for one node
            MainTest.Result down = MainTest.run("reload", "--admin", urlDown, "--admin", urlOk);
            assertThat(down.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(down.err().strip()).endsWith("reload: 1 of 2 nodes did not reload");
            assertThat(good).hasValue(2);
        }
    }

    private static AdminServer admin(org.smimegw.gateway.app.Reloadable reloadable) throws Exception {
        AdminServer server = new AdminServer(new InetSocketAddress("127.0.0.1", 0),
                new PrometheusMetrics(new MetricRegistry()), () -> new HealthReport(Map.of(), Map.of()), reloadable);
        server.start();
        return server;
    }
}
