package org.smimegw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.testing.MutableClock;
import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.delivery.NextHopHealth;
import org.smimegw.gateway.spool.SpoolSpace;

/** /health/live and /health/ready of a running gateway: next hop down for N minutes, directory down. */
class ReadinessEndToEndTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(GatewayApplication app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + app.adminAddress().orElseThrow().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void degradedWhileEveryAttemptToTheNextHopFailsForTheConfiguredMinutesAndWhileTheDirectoryIsDown()
            throws Exception {
        InMemoryDirectoryServerConfig ldapConfig = new InMemoryDirectoryServerConfig("dc=example,dc=com");
        ldapConfig.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                java.net.InetAddress.getByName("127.0.0.1"), 0, null));
        InMemoryDirectoryServer ldap = new InMemoryDirectoryServer(ldapConfig);
        ldap.startListening();
        int deadHop = closedPort();
        Files.writeString(dir.resolve("mailetcontainer.xml"), org.smimegw.gateway.app.TestGatewayConfig
                .relayPipeline(""));
        Path yaml = Files.writeString(dir.resolve("gateway.yaml"), """
                hostname: gw.test
                internalDomains: [example.com]
                stateDir: var
                smtp: {port: 0, mynetworks: [127.0.0.0/8]}
                pipeline: {config: mailetcontainer.xml}
                delivery:
                  smarthost: {host: 127.0.0.1, port: %d, starttls: OFF}
                  connectTimeoutSeconds: 5
                admin:
                  port: 0
                  jmx: false
                  ready: {deliveryFailureMinutes: 10}
                certstore:
                  ldap:
                    urls: [ "ldap://127.0.0.1:%d" ]
                    baseDn: "dc=example,dc=com"
                    connectTimeoutMillis: 1000
                    responseTimeoutMillis: 2000
                    retryAfterFailureMillis: 0
                """.formatted(deadHop, ldap.getListenPort()));
        MutableClock clock = new MutableClock(Instant.now());
        try (GatewayApplication app = new GatewayApplication(new ConfigLoader().load(yaml), clock,
                new MetricRegistry())) {
            app.start();
            HttpResponse<String> ready = get(app, "/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(json.readTree(ready.body()).path("status").asText()).isEqualTo("ready");

            send(app, "alice@example.com", "bob@partner.example");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (app.metrics().counter("delivery.deferred").getCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(app.metrics().counter("delivery.deferred").getCount()).isPositive();
            // failing, but not for 10 minutes yet
            assertThat(get(app, "/health/ready").statusCode()).isEqualTo(200);

            clock.advance(Duration.ofMinutes(11));
            ready = get(app, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode body = json.readTree(ready.body());
            assertThat(body.path("status").asText()).isEqualTo("degraded");
            assertThat(body.path("reasons").toString()).contains("delivery: every attempt failed for 10 min or "
                    + "more to 127.0.0.1:" + deadHop + " (since ");
            assertThat(body.path("checks").path("spool").asText()).isEqualTo("ok");
            assertThat(body.path("checks").path("directory").asText()).isEqualTo("ok");

            ldap.shutDown(true);
            body = json.readTree(get(app, "/health/ready").body());
            assertThat(body.path("checks").path("directory").asText()).startsWith("unreachable: ");

            // alive and the old /health are not about readiness
            HttpResponse<String> live = get(app, "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("\"status\":\"alive\"");
            assertThat(get(app, "/health").statusCode()).isEqualTo(200);
            assertThat(get(app, "/health/other").statusCode()).isEqualTo(404);
        } finally {
            ldap.shutDown(true);
        }
    }

    @Test
    void degradedWhileTheSpoolHasLessFreeSpaceThanTheReserve() {
        ReadinessCheck check = new ReadinessCheck(() -> new HealthReport(java.util.Map.of("smtp", true),
                java.util.Map.of()), Optional::<NextHopHealth>empty, Duration.ofMinutes(10),
                SpoolSpace.of(dir, Long.MAX_VALUE), Optional::empty);
        Readiness readiness = check.check();
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.reasons()).singleElement().asString().startsWith("spool: free space ")
                .contains(" MiB is below the reserve of ");

        Readiness enough = new ReadinessCheck(() -> new HealthReport(java.util.Map.of("smtp", true),
                java.util.Map.of()), Optional::<NextHopHealth>empty, Duration.ofMinutes(10), SpoolSpace.of(dir, 0),
                Optional::empty).check();
        assertThat(enough.ready()).isTrue();
    }

    private static void send(GatewayApplication app, String from, String to) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(app.smtpAddress().getPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("readiness");
        message.setText("hello");
        Transport.send(message);
    }
}
