package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * Direct delivery: the DNS is a server on loopback answering from a zone, the MX hosts are SMTP servers on loopback
 * addresses (127.0.0.1 takes mail; nothing listens on 127.0.0.2; 127.0.0.3 greets with 421), all on one port.
 */
class DirectDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final DeliveryConfig.Retry SLOW_RETRY = new DeliveryConfig.Retry(3600.0, 2.0, 3600.0, 120.0);

    static final String ZONE = """
            two-mx        IN MX  10 mx1.two-mx
            two-mx        IN MX  20 mx2.two-mx
            mx1.two-mx    IN A   127.0.0.2
            mx2.two-mx    IN A   127.0.0.1
            busy          IN MX  10 mx1.busy
            busy          IN MX  20 mx2.busy
            mx1.busy      IN A   127.0.0.3
            mx2.busy      IN A   127.0.0.1
            down          IN MX  10 mx1.down
            down          IN MX  20 mx2.down
            mx1.down      IN A   127.0.0.2
            mx2.down      IN A   127.0.0.2
            nullmx        IN MX  0 .
            servfail      IN MX  10 mx.servfail
            """;

    @TempDir
    Path dir;

    private Spool spool;
    private final MetricRegistry metrics = new MetricRegistry();
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestDnsServer dns;
    private ScriptedNextHop mx;
    private DeliveryService service;

    @BeforeEach
    void setUp() throws Exception {
        spool = new FileSpool(dir, clock, new MetricRegistry());
        dns = closeLater(TestDnsServer.forTestZone(ZONE).servfail("servfail.test."));
        mx = closeLater(new ScriptedNextHop());
        DeliveryConfig config = new DeliveryConfig(null, null, 2, 5, 30, SLOW_RETRY, "gw.example.com", true,
                new DeliveryConfig.Mx(true, List.of("127.0.0.1"), dns.port(), 2, mx.port(), 5));
        service = closeLater(new DeliveryService(config, spool, new DsnFactory(clock), metrics, clock, name -> null,
                entry -> { }));
        service.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    @Test
    void whenTheFirstMxHostIsDownTheMailGoesToTheNext() throws Exception {
        queue("bob@two-mx.test");

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(mx.received()).hasSize(1);
        assertThat(mx.received().get(0).recipients()).containsExactly("bob@two-mx.test");
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(1);
        assertThat(metrics.counter("delivery.deferred").getCount()).isZero();
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty(); // no bounce
    }

    @Test
    void anMxHostThatGreetsWith421IsSkippedForTheNext() throws Exception {
        AtomicInteger busyConnections = new AtomicInteger();
        ServerSocket busy = closeLater(new ServerSocket());
        busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), mx.port()));
        Thread.ofPlatform().daemon(true).start(() -> {
            while (!busy.isClosed()) {
                try (Socket s = busy.accept(); OutputStream out = s.getOutputStream()) {
                    busyConnections.incrementAndGet();
                    out.write("421 4.3.2 too busy, try another MX\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    return;
                }
            }
        });

        queue("carol@busy.test");

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(busyConnections.get()).isEqualTo(1);
        assertThat(mx.received()).hasSize(1);
        assertThat(mx.received().get(0).recipients()).containsExactly("carol@busy.test");
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(1);
    }

    @Test
    void whenNoMxHostTakesTheConnectionTheRecipientIsDeferred() throws Exception {
        queue("dave@down.test");

        DeliveryTests.await(WAIT, () -> lastError() != null);
        assertThat(lastError()).startsWith("4.4.1 mx2.down.test[127.0.0.2]:" + mx.port() + ": ");
        assertThat(metrics.counter("delivery.deferred").getCount()).isEqualTo(1);
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void aDnsServerFailureDefersTheRecipient() throws Exception {
        queue("erin@servfail.test");

        DeliveryTests.await(WAIT, () -> lastError() != null);
        assertThat(lastError()).isEqualTo(
                "4.4.3 DNS lookup of the MX records of servfail.test failed: SERVFAIL");
        assertThat(metrics.counter("delivery.deferred").getCount()).isEqualTo(1);
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void aDomainThatDoesNotExistAndANullMxDomainBounce() throws Exception {
        queue("frank@nosuchdomain.test", "grace@nullmx.test");

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(2);
        List<SpoolEntry> incoming = spool.list(SpoolArea.INCOMING);
        assertThat(incoming).hasSize(1);
        assertThat(incoming.get(0).envelope().hasNullSender()).isTrue();
        assertThat(incoming.get(0).envelope().recipients()).containsExactly("alice@example.com");
        String status = DeliveryTests.partText(spool.open(incoming.get(0)), 1);
        assertThat(status).contains("Final-Recipient: rfc822; frank@nosuchdomain.test").contains("Status: 5.1.2")
                .contains("domain nosuchdomain.test does not exist")
                .contains("Final-Recipient: rfc822; grace@nullmx.test").contains("Status: 5.1.10")
                .contains("domain nullmx.test accepts no mail (null MX, RFC 7505)");
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void thePipelinesImmediateAttemptLeavesMxRecipientsToTheQueue() throws Exception {
        Envelope envelope = envelope(List.of("bob@two-mx.test"));
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(message("bob@two-mx.test")));

        DeliveryService.Leftover left = service.deliverNow(envelope, message);

        assertThat(left.untried().recipients()).containsExactly("bob@two-mx.test");
        assertThat(left.deferred()).isNull();
        assertThat(dns.queries("two-mx.test.", org.xbill.DNS.Type.MX)).isZero(); // no DNS on the pipeline thread
    }

    // --- helpers ---

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private static Envelope envelope(List<String> recipients) {
        return new Envelope("alice@example.com", Map.of(), recipients, "192.0.2.1", "client.test", null,
                Instant.now(), Map.of());
    }

    private void queue(String... recipients) throws Exception {
        service.submit(spool.store(SpoolArea.OUTGOING, envelope(List.of(recipients)),
                new ByteArrayInputStream(message(recipients[0]))));
    }

    private String lastError() throws Exception {
        List<SpoolEntry> outgoing = spool.list(SpoolArea.OUTGOING);
        return outgoing.isEmpty() ? null : outgoing.get(0).envelope().attributes().get(DeliveryService.ATTR_LAST_ERROR);
    }

    private static byte[] message(String to) {
        return ("From: alice@example.com\r\nTo: " + to + "\r\nSubject: direct\r\nMessage-ID: <" + System.nanoTime()
                + "@example.com>\r\n\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
