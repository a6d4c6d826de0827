package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;

/** STARTTLS modes and SMTP AUTH towards the next hop, over loopback against SubEthaSMTP. */
class DeliveryTlsAndAuthTest {
    private static final DeliveryConfig.Retry SLOW_RETRY = new DeliveryConfig.Retry(3600.0, 2.0, 7200.0, 120.0);

    @TempDir
    Path dir;

    private final MetricRegistry metrics = new MetricRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Spool spool;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    @Test
    void opportunisticStarttlsUpgradesWhenTheServerOffersIt() throws Exception {
        ScriptedNextHop hop = closeLater(ScriptedNextHop.requiringTls(serverTls()));
        DeliveryService service = start(new DeliveryConfig.Route("127.0.0.1", hop.port(),
                DeliveryConfig.StartTls.OPPORTUNISTIC, null, null, null), name -> null);
        queue(service);
        await(() -> hop.received().size() == 1); // the server refuses MAIL FROM before STARTTLS
        // the next hop records the message before its 250; the service counts after it: wait for the dequeue
        await(() -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(1);
    }

    @Test
    void starttlsOffNeverUpgradesSoATlsOnlyServerRefusesAndTheSenderGetsADsn() throws Exception {
        ScriptedNextHop hop = closeLater(ScriptedNextHop.requiringTls(serverTls()));
        DeliveryService service = start(new DeliveryConfig.Route("127.0.0.1", hop.port(),
                DeliveryConfig.StartTls.OFF, null, null, null), name -> null);
        queue(service);
        // the DSN is stored in INCOMING before the OUTGOING entry is removed (never zero copies): wait for both
        await(() -> !spool.list(SpoolArea.INCOMING).isEmpty() && spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.received()).isEmpty();
        // MAIL FROM answered "530 5.7.0 Must issue a STARTTLS command first": permanent, so it bounces
        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(1);
    }

    @Test
    void requiredStarttlsVerifiesTheServerCertificate() throws Exception {
        ScriptedNextHop hop = closeLater(ScriptedNextHop.requiringTls(serverTls()));
        DeliveryService service = start(new DeliveryConfig.Route("127.0.0.1", hop.port(),
                DeliveryConfig.StartTls.REQUIRED, null, null, null), name -> null);
        queue(service);
        await(() -> lastError() != null);
        assertThat(hop.received()).isEmpty();
        assertThat(lastError()).startsWith("4.7.5"); // untrusted test CA: deferred, not delivered in clear
    }

    @Test
    void authenticatesWithAPasswordFromTheEnvironment() throws Exception {
        ScriptedNextHop hop = closeLater(ScriptedNextHop.requiringAuth("relayuser", "s3cret"));
        DeliveryService service = start(new DeliveryConfig.Route("127.0.0.1", hop.port(),
                DeliveryConfig.StartTls.OFF, "relayuser", "RELAY_PASSWORD", null),
                name -> name.equals("RELAY_PASSWORD") ? "s3cret" : null);
        queue(service);
        await(() -> hop.received().size() == 1);
    }

    @Test
    void authenticatesWithAPasswordFromAFile() throws Exception {
        ScriptedNextHop hop = closeLater(ScriptedNextHop.requiringAuth("relayuser", "s3cret"));
        Path file = Files.writeString(dir.resolve("relay.pw"), "s3cret\n", StandardCharsets.UTF_8);
        DeliveryService service = start(new DeliveryConfig.Route("127.0.0.1", hop.port(),
                DeliveryConfig.StartTls.OFF, "relayuser", null, file.toString()), name -> null);
        queue(service);
        await(() -> hop.received().size() == 1);
    }

    @Test
    void aMissingOrWrongPasswordDefersWithAReasonThatNamesNoSecret() throws Exception {
        ScriptedNextHop hop = closeLater(ScriptedNextHop.requiringAuth("relayuser", "s3cret"));
        DeliveryService service = start(new DeliveryConfig.Route("127.0.0.1", hop.port(),
                DeliveryConfig.StartTls.OFF, "relayuser", "RELAY_PASSWORD", null), name -> "wrong-password");
        queue(service);
        await(() -> lastError() != null);
        assertThat(hop.received()).isEmpty();
        assertThat(lastError()).doesNotContain("wrong-password");
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    // --- helpers ---

    private DeliveryService start(DeliveryConfig.Route route, java.util.function.Function<String, String> env)
            throws Exception {
        spool = new org.smimegw.gateway.spool.FileSpool(dir, java.time.Clock.systemUTC(), new com.codahale.metrics.MetricRegistry());
        DeliveryConfig config = new DeliveryConfig(route, null, 1, 10, 30, SLOW_RETRY, "gw.example.com");
        DeliveryService service = new DeliveryService(config, spool, new DsnFactory(Clock.systemUTC()), metrics,
                Clock.systemUTC(), env, e -> { });
        closeables.add(service);
        service.start();
        return service;
    }

    private void queue(DeliveryService service) throws Exception {
        byte[] raw = ("From: alice@example.com\r\nTo: bob@remote.test\r\nSubject: tls\r\n\r\nHello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = new Envelope("alice@example.com", Map.of(), List.of("bob@remote.test"), "192.0.2.1",
                "client.test", null, Instant.now(), Map.of());
        service.submit(spool.store(SpoolArea.OUTGOING, envelope, new ByteArrayInputStream(raw)));
    }

    private String lastError() throws Exception {
        var outgoing = spool.list(SpoolArea.OUTGOING);
        return outgoing.isEmpty() ? null : outgoing.get(0).envelope().attributes().get(DeliveryService.ATTR_LAST_ERROR);
    }

    private static SSLContext serverTls() throws Exception {
        TestPki.Issued server = TestPki.create("nexthop").issue("postmaster@nexthop.test");
        char[] password = "changeit".toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", server.privateKey(), password,
                server.fullChain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private static void await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.test()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** A condition polled by {@link #await}; may read the spool. */
    @FunctionalInterface
    private interface Condition {
        boolean test() throws Exception;
    }
}
