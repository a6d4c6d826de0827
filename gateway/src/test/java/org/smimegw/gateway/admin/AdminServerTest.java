package org.smimegw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final AtomicBoolean smtpUp = new AtomicBoolean(true);
    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicBoolean reloadFails = new AtomicBoolean();
    private final HttpClient client = HttpClient.newHttpClient();
    private AdminServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = new AdminServer(new InetSocketAddress("127.0.0.1", 0), new PrometheusMetrics(registry),
                () -> new HealthReport(Map.of("smtp", smtpUp.get(), "delivery", true),
                        Map.of("incoming", 2L, "outgoing", 5L)),
                () -> {
                    if (reloadFails.get()) {
                        throw new IllegalStateException("policy.yaml:3: unknown key 'x'");
                    }
                    return "reload #" + reloads.incrementAndGet();
                });
        server.start();
        assertThat(server.address().getPort()).isPositive();
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsInPrometheusTextFormat() throws Exception {
        registry.counter("smtp.accepted").inc(3);
        registry.timer("mailet.root.AddHeader").update(java.time.Duration.ofMillis(4));
        registry.gauge("spool.incoming.size", () -> () -> 7);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(response.body())
                .contains("# TYPE smtp_accepted_messages_total counter")
                .containsPattern("(?m)^smtp_accepted_messages_total 3\\.0$")
                .containsPattern("(?m)^spool_messages\\{area=\"incoming\"} 7\\.0$")
                .contains("mailet_duration_seconds_count{mailet=\"AddHeader\",processor=\"root\"} 1");
    }

    @Test
    void healthIsOkWhileComponentsRun() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"ok\"").contains("\"incoming\":2")
                .contains("\"outgoing\":5").contains("\"smtp\":\"up\"");
    }

    @Test
    void healthIs503WhenAComponentIsDown() throws Exception {
        smtpUp.set(false);
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"down\"").contains("\"smtp\":\"down\"");
    }

    @Test
    void reloadCallsTheReloadableOnPostOnly() throws Exception {
        assertThat(get("/reload").statusCode()).isEqualTo(405);
        assertThat(reloads).hasValue(0);

        HttpResponse<String> ok = post("/reload");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("reload #1");

        reloadFails.set(true);
        HttpResponse<String> refused = post("/reload");
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.body()).contains("policy.yaml:3: unknown key 'x'");
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }
}
