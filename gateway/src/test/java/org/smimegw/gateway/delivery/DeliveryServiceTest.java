package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;

import com.codahale.metrics.MetricRegistry;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.mailets.RemoteDelivery;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/** Delivery over loopback against real SMTP servers: GreenMail and a scripted SubEthaSMTP next hop. */
class DeliveryServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final DeliveryConfig.Retry FAST_RETRY = new DeliveryConfig.Retry(0.2, 1.5, 1.0, 1.0);

    @TempDir
    Path dir;

    private Spool spool;
    private final MetricRegistry metrics = new MetricRegistry();
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SpoolEntry> bouncesQueued = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        spool = new org.smimegw.gateway.spool.FileSpool(dir, java.time.Clock.systemUTC(), new com.codahale.metrics.MetricRegistry());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    @Test
    void remoteDeliveryMailetQueuesDurablyAndGreenMailReceivesTheMessageIntact() throws Exception {
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        closeables.add(greenMail::stop);
        DeliveryService service = service(config(route(greenMail.getSmtp().getPort(), DeliveryConfig.StartTls.OFF),
                FAST_RETRY, 4));
        RemoteDelivery mailet = new RemoteDelivery(new SpoolDeliveryQueue(spool, clock, service::submit));

        byte[] raw = message("alice@example.com", "bob@remote.test", "intact", "Line one\r\n.dot line\r\nä is 8bit\r\n");
        Mail mail = FakeMail.builder().name("mail1").sender("alice@example.com").recipients("bob@remote.test", "carol@remote.test")
                .mimeMessage(parse(raw)).remoteAddr("192.0.2.7").build();

        mailet.service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(spool.list(SpoolArea.OUTGOING)).hasSize(1); // durable before the mailet returned

        service.start();
        DeliveryTests.await(WAIT, () -> greenMail.getReceivedMessages().length == 2);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());

        MimeMessage got = greenMail.getReceivedMessagesForDomain("remote.test")[0];
        assertThat(got.getSubject()).isEqualTo("intact");
        assertThat(got.getHeader("X-Test-Marker", null)).isEqualTo("keep-me");
        // GreenMail stores the body without the CRLF that precedes the end-of-data dot; compare the rest exactly
        assertThat(new String(rawBody(got), StandardCharsets.UTF_8))
                .isEqualTo(new String(rawBody(parse(raw)), StandardCharsets.UTF_8).stripTrailing());
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(2);
        assertThat(metrics.timer("delivery.attempt").getCount()).isEqualTo(1);
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void theNextHopReceivesTheSpooledBytesExactly() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop());
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), FAST_RETRY, 1));
        service.start();
        byte[] raw = message("alice@example.com", "bob@remote.test", "bytes",
                "..leading dots\r\n.\r\nä 8bit\r\nno final newline");
        Envelope envelope = new Envelope("alice@example.com", Map.of("BODY", "8BITMIME"), List.of("bob@remote.test"),
                "192.0.2.1", "client.test", null, Instant.now(), Map.of());
        service.submit(spool.store(SpoolArea.OUTGOING, envelope, new ByteArrayInputStream(raw)));

        DeliveryTests.await(WAIT, () -> hop.received().size() == 1);
        byte[] got = hop.received().get(0).content();
        // SubEthaSMTP adds its Received header on top; after it, the message is byte for byte what was spooled
        // (plus the CRLF the SMTP client must add before the end-of-data dot)
        String text = new String(got, StandardCharsets.UTF_8);
        assertThat(text).startsWith("Received:");
        String afterReceived = text.substring(text.indexOf("From: "));
        assertThat(afterReceived).isEqualTo(new String(raw, StandardCharsets.UTF_8) + "\r\n");
    }

    @Test
    void temporaryFailureIsRetriedWithBackoffUntilAccepted() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().tempFailFirst(2));
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), FAST_RETRY, 2));
        service.start();
        queue("alice@example.com", List.of("bob@remote.test"), service);

        DeliveryTests.await(WAIT, () -> hop.received().size() == 1);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.transactions()).isGreaterThanOrEqualTo(3);
        assertThat(hop.received().get(0).recipients()).containsExactly("bob@remote.test");
        assertThat(hop.received().get(0).from()).isEqualTo("alice@example.com");
        assertThat(metrics.counter("delivery.deferred").getCount()).isEqualTo(2);
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(1);
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void deferralIsRecordedInTheEnvelopeWithAttemptCountAndNextAttempt() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().alwaysTempFail());
        DeliveryConfig.Retry slow = new DeliveryConfig.Retry(3600.0, 2.0, 7200.0, 120.0);
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), slow, 1));
        service.start();
        Instant before = Instant.now();
        queue("alice@example.com", List.of("bob@remote.test"), service);

        DeliveryTests.await(WAIT, () -> "1".equals(outgoingAttribute(DeliveryService.ATTR_ATTEMPTS)));
        Instant next = Instant.parse(outgoingAttribute(DeliveryService.ATTR_NEXT_ATTEMPT));
        assertThat(next).isAfter(before.plusSeconds(3500));
        assertThat(outgoingAttribute(DeliveryService.ATTR_LAST_ERROR)).contains("451").contains("4.3.0");
        assertThat(service.backoff(1)).isEqualTo(Duration.ofHours(1));
        assertThat(service.backoff(2)).isEqualTo(Duration.ofHours(2));
        assertThat(service.backoff(5)).isEqualTo(Duration.ofHours(2)); // capped at maxDelaySeconds
    }

    @Test
    void flushRetriesDeferredEntriesAtOnceAndAnEntryRemovedByAnAdminIsDropped() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().tempFailFirst(2));
        DeliveryConfig.Retry slow = new DeliveryConfig.Retry(3600.0, 2.0, 7200.0, 120.0);
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), slow, 1));
        service.start();
        queue("alice@example.com", List.of("first@remote.test"), service);
        queue("alice@example.com", List.of("second@remote.test"), service);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).stream()
                .allMatch(e -> e.envelope().attributes().containsKey(DeliveryService.ATTR_ATTEMPTS)));
        spool.delete(spool.list(SpoolArea.OUTGOING).get(0)); // as an admin deleting a queued message

        // flush() leaves an entry alone that a worker is still concluding (its attempts are on disk a moment
        // before it is back in the schedule): flush until the remaining one went out
        DeliveryTests.await(WAIT, () -> {
            service.flush();
            return hop.received().size() == 1;
        });
        DeliveryTests.await(WAIT, () -> service.queueSize() == 0);
        assertThat(spool.list(SpoolArea.OUTGOING)).isEmpty();
        assertThat(hop.received().get(0).recipients()).containsExactly("second@remote.test");
    }

    @Test
    void permanentFailureOfOneRecipientDeliversTheOtherAndBouncesWithPerRecipientStatus() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().refuse("nobody@remote.test"));
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), FAST_RETRY, 2));
        service.start();
        queue("alice@example.com", List.of("bob@remote.test", "nobody@remote.test"), service);

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.received()).hasSize(1);
        assertThat(hop.received().get(0).recipients()).containsExactly("bob@remote.test");
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(1);
        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(1);

        List<SpoolEntry> incoming = spool.list(SpoolArea.INCOMING);
        assertThat(incoming).hasSize(1);
        assertThat(bouncesQueued).extracting(SpoolEntry::id).containsExactly(incoming.get(0).id());
        Envelope dsnEnvelope = incoming.get(0).envelope();
        assertThat(dsnEnvelope.hasNullSender()).isTrue();
        assertThat(dsnEnvelope.recipients()).containsExactly("alice@example.com");

        MimeMessage dsn = spool.open(incoming.get(0));
        String status = deliveryStatus(dsn);
        assertThat(status).contains("Final-Recipient: rfc822; nobody@remote.test")
                .contains("Action: failed").contains("Status: 5.1.1")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.test>: user unknown")
                .doesNotContain("bob@remote.test");
        String headers = DeliveryTests.partText(dsn, 2);
        assertThat(headers).contains("Subject: test message");
    }

    @Test
    void acceptedRefusedAndDeferredRecipientsOfOneTransactionEachGetTheirOwnOutcome() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().refuse("nobody@remote.test")
                .deferRecipient("busy@remote.test"));
        DeliveryConfig.Retry slow = new DeliveryConfig.Retry(3600.0, 2.0, 7200.0, 120.0);
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), slow, 1));
        service.start();
        queue("alice@example.com", List.of("bob@remote.test", "nobody@remote.test", "busy@remote.test"), service);

        DeliveryTests.await(WAIT, () -> "1".equals(outgoingAttribute(DeliveryService.ATTR_ATTEMPTS)));
        assertThat(hop.received()).hasSize(1);
        assertThat(hop.received().get(0).recipients()).containsExactly("bob@remote.test");
        List<SpoolEntry> outgoing = spool.list(SpoolArea.OUTGOING);
        assertThat(outgoing).hasSize(1);
        assertThat(outgoing.get(0).envelope().recipients()).containsExactly("busy@remote.test");
        assertThat(outgoingAttribute(DeliveryService.ATTR_LAST_ERROR)).startsWith("4.2.1").contains("450");
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(1);
        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(1);
        assertThat(metrics.counter("delivery.deferred").getCount()).isEqualTo(1);
        DeliveryTests.await(WAIT, () -> bouncesQueued.size() == 1);
        String status = deliveryStatus(spool.open(spool.list(SpoolArea.INCOMING).get(0)));
        assertThat(status).contains("Final-Recipient: rfc822; nobody@remote.test").contains("Status: 5.1.1")
                .doesNotContain("busy@remote.test").doesNotContain("bob@remote.test");

        hop.accept("busy@remote.test");
        DeliveryTests.await(WAIT, () -> {
            service.flush(); // until the deferred entry is back in the schedule (flush skips entries in flight)
            return hop.received().size() == 2;
        });
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.received().get(1).recipients()).containsExactly("busy@remote.test");
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(2);
        assertThat(bouncesQueued).hasSize(1);
    }

    @Test
    void aConnectionWhoseRecipientsWereAllRefusedCarriesTheNextMessage() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().refuse("nobody@remote.test")
                .deferRecipient("busy@remote.test"));
        DeliveryConfig.Retry slow = new DeliveryConfig.Retry(3600.0, 2.0, 7200.0, 120.0);
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), slow, 1));
        service.start();
        queue("alice@example.com", List.of("nobody@remote.test", "busy@remote.test"), service);
        DeliveryTests.await(WAIT, () -> "1".equals(outgoingAttribute(DeliveryService.ATTR_ATTEMPTS)));
        assertThat(spool.list(SpoolArea.OUTGOING).get(0).envelope().recipients()).containsExactly("busy@remote.test");
        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(1);
        assertThat(metrics.counter("delivery.deferred").getCount()).isEqualTo(1);

        queue("alice@example.com", List.of("bob@remote.test"), service);
        DeliveryTests.await(WAIT, () -> hop.received().size() == 1);
        assertThat(hop.received().get(0).recipients()).containsExactly("bob@remote.test");
        assertThat(hop.connections()).isEqualTo(1); // the refused transaction was reset, the connection reused
        // counted after the next hop's 250, which comes after the next hop recorded the message
        DeliveryTests.await(WAIT, () -> metrics.counter("delivery.delivered").getCount() == 1);
    }

    @Test
    void queueLifetimeExceededBouncesWithExpiryStatus() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().alwaysTempFail());
        DeliveryConfig.Retry noLifetime = new DeliveryConfig.Retry(0.2, 1.0, 0.2, 0.0);
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), noLifetime, 1));
        service.start();
        queue("alice@example.com", List.of("bob@remote.test"), service);

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.received()).isEmpty();
        List<SpoolEntry> incoming = spool.list(SpoolArea.INCOMING);
        assertThat(incoming).hasSize(1);
        String status = deliveryStatus(spool.open(incoming.get(0)));
        assertThat(status).contains("Final-Recipient: rfc822; bob@remote.test").contains("Status: 5.4.7")
                .contains("delivery time expired").contains("451");
    }

    @Test
    void nullSenderMessageThatFailsPermanentlyGetsNoDsn() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().refuse("nobody@remote.test"));
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), FAST_RETRY, 1));
        service.start();
        queue("", List.of("nobody@remote.test", "postmaster@remote.test"), service);

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.received()).hasSize(1);
        assertThat(hop.received().get(0).from()).isEmpty(); // MAIL FROM:<>
        assertThat(hop.received().get(0).recipients()).containsExactly("postmaster@remote.test");
        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(1);
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
        assertThat(bouncesQueued).isEmpty();
    }

    @Test
    void entriesLeftInOutgoingAreDeliveredAfterARestart() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort(); // closed again: connections are refused
        }
        DeliveryService first = service(config(route(deadPort, DeliveryConfig.StartTls.OFF), FAST_RETRY, 2));
        first.start();
        for (int i = 0; i < 3; i++) {
            queue("alice@example.com", List.of("r" + i + "@remote.test"), first);
        }
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).stream()
                .allMatch(e -> e.envelope().attributes().containsKey(DeliveryService.ATTR_ATTEMPTS)));
        first.close();
        assertThat(spool.list(SpoolArea.OUTGOING)).hasSize(3);
        assertThat(spool.list(SpoolArea.OUTGOING).get(0).envelope().attributes().get(DeliveryService.ATTR_LAST_ERROR))
                .startsWith("4.4.1");

        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        closeables.add(greenMail::stop);
        DeliveryService second = service(config(route(greenMail.getSmtp().getPort(), DeliveryConfig.StartTls.OFF),
                FAST_RETRY, 2));
        second.start();
        DeliveryTests.await(WAIT, () -> greenMail.getReceivedMessages().length == 3);
        // a worker deletes the spool entry first and then forgets it (queue size): wait for the bookkeeping too
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty() && second.queueSize() == 0);
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
        assertThat(metrics.getGauges().get("delivery.queue.size").getValue()).isEqualTo(0);
    }

    @Test
    void starttlsRequiredAgainstAServerWithoutTlsIsDeferredWithAClearReason() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop());
        DeliveryConfig.Retry slow = new DeliveryConfig.Retry(3600.0, 2.0, 7200.0, 120.0);
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.REQUIRED), slow, 1));
        service.start();
        queue("alice@example.com", List.of("bob@remote.test"), service);

        DeliveryTests.await(WAIT, () -> outgoingAttribute(DeliveryService.ATTR_LAST_ERROR) != null);
        assertThat(outgoingAttribute(DeliveryService.ATTR_LAST_ERROR)).contains("STARTTLS");
        assertThat(hop.transactions()).isZero();
        assertThat(metrics.counter("delivery.deferred").getCount()).isEqualTo(1);
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void connectionsToTheSameNextHopAreReusedAndBounded() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop());
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OPPORTUNISTIC),
                FAST_RETRY, 2));
        service.start();
        for (int i = 0; i < 20; i++) {
            queue("alice@example.com", List.of("r" + i + "@remote.test"), service);
        }
        DeliveryTests.await(WAIT, () -> hop.received().size() == 20);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.connections()).isBetween(1, 2);
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedWithoutDeferringTheMessage() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop(Duration.ofMillis(300)));
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), FAST_RETRY, 1));
        service.start();
        queue("alice@example.com", List.of("first@remote.test"), service);
        DeliveryTests.await(WAIT, () -> hop.received().size() == 1);
        Thread.sleep(1000); // the server drops the idle pooled connection meanwhile
        queue("alice@example.com", List.of("second@remote.test"), service);
        DeliveryTests.await(WAIT, () -> hop.received().size() == 2);
        assertThat(metrics.counter("delivery.deferred").getCount()).isZero();
        assertThat(hop.connections()).isEqualTo(2);
    }

    /**
     * The next hop restarts while four connections to it wait in the pool: every next mail meets a dead pooled
     * connection (EOF or broken pipe at MAIL FROM), and each is sent at once on a new connection, none deferred.
     */
    @Test
    void pooledConnectionsANextHopDroppedOnRestartAreReplacedAtOnceAndNoMailIsDeferred() throws Exception {
        ScriptedNextHop hop = new ScriptedNextHop();
        int port = hop.port();
        DeliveryService service = service(config(route(port, DeliveryConfig.StartTls.OFF),
                new DeliveryConfig.Retry(60.0, 2.0, 3600.0, 120.0), 4));
        service.start();
        for (int i = 0; i < 12; i++) {
            queue("alice@example.com", List.of("before" + i + "@remote.test"), service);
        }
        DeliveryTests.await(WAIT, () -> hop.received().size() == 12);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        hop.close(); // the next hop restarts: the pooled connections are dead
        ScriptedNextHop restarted = closeLater(ScriptedNextHop.onPort(port));
        for (int i = 0; i < 8; i++) {
            queue("alice@example.com", List.of("after" + i + "@remote.test"), service);
        }
        DeliveryTests.await(WAIT, () -> restarted.received().size() == 8);
        // the next hop records a message before its 250; the worker deletes the entry after it: wait for that
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty() && service.queueSize() == 0);
        assertThat(metrics.counter("delivery.deferred").getCount()).isZero();
        assertThat(metrics.counter("delivery.reconnected").getCount()).isPositive();
    }

    /** A next hop that closes connections idle for 3 s (with 421, as Postfix's smtpd_timeout): the gateway is first. */
    @Test
    void idleConnectionsAreClosedBeforeTheNextHopsIdleTimeout() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop(Duration.ofSeconds(3)));
        DeliveryConfig config = config(route(hop.port(), DeliveryConfig.StartTls.OFF), FAST_RETRY, 2);
        DeliveryService service = service(new DeliveryConfig(config.smarthost(), config.routes(),
                config.maxConnections(), config.connectTimeoutSeconds(), config.timeoutSeconds(), config.retry(),
                config.heloName(), config.immediate(), config.mx(), 1));
        service.start();
        queue("alice@example.com", List.of("first@remote.test"), service);
        DeliveryTests.await(WAIT, () -> hop.received().size() == 1);
        // closed by the gateway (QUIT) within 1.25 x its idle timeout, before the next hop's 3 s
        DeliveryTests.await(Duration.ofMillis(2500), () -> hop.quits() == 1);
        queue("alice@example.com", List.of("second@remote.test"), service);
        DeliveryTests.await(WAIT, () -> hop.received().size() == 2);
        assertThat(metrics.counter("delivery.deferred").getCount()).isZero();
        assertThat(metrics.counter("delivery.reconnected").getCount()).isZero();
    }

    @Test
    void recipientsAreSplitByRouteWithWildcardsAndUnroutableOnesBounceWithoutMxLookup() throws Exception {
        ScriptedNextHop routed = closeLater(new ScriptedNextHop());
        DeliveryConfig config = new DeliveryConfig(null,
                Map.of("*.partner.test", route(routed.port(), DeliveryConfig.StartTls.OFF)),
                2, null, null, FAST_RETRY, "gw.example.com", null,
                new DeliveryConfig.Mx(false, null, null, null, null, null));
        DeliveryService service = service(config);
        service.start();
        queue("alice@example.com", List.of("x@mx.partner.test", "y@elsewhere.test"), service);

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(routed.received()).hasSize(1);
        assertThat(routed.received().get(0).recipients()).containsExactly("x@mx.partner.test");
        String status = deliveryStatus(spool.open(spool.list(SpoolArea.INCOMING).get(0)));
        assertThat(status).contains("Reporting-MTA: dns; gw.example.com")
                .contains("Final-Recipient: rfc822; y@elsewhere.test").contains("Status: 5.4.4");
    }

    @Test
    void anOutgoingEntryWrittenBeforeRcptParametersWereKeptIsDeliveredWithItsMailParameters() throws Exception {
        // outgoing/*.env and *.eml stored by FileSpool in format version 2, checked in
        Path resources = Path.of(getClass().getResource("/org/smimegw/gateway/spool/v2-spool/outgoing").toURI());
        Files.createDirectories(dir.resolve("outgoing"));
        try (var files = Files.list(resources)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("outgoing").resolve(f.getFileName()));
            }
        }
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().announceDsn().refuse("carol@remote.test"));
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), FAST_RETRY, 1));
        service.start();
        service.flush(); // its next attempt was stored as a fixed time

        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty());
        assertThat(hop.commandLines()).containsExactly("MAIL FROM:<alice@example.org> BODY=8BITMIME RET=HDRS ENVID=env-42",
                "RCPT TO:<bob@remote.test>", "RCPT TO:<carol@remote.test>");
        String status = deliveryStatus(spool.open(spool.list(SpoolArea.INCOMING).get(0)));
        assertThat(status).contains("Original-Envelope-Id: env-42\r\n").contains("Final-Recipient: rfc822; carol@remote.test")
                .contains("Action: failed").doesNotContain("bob@");
    }

    @Test
    void aDelayNoticeIsSentOnceAndNotAgainOnLaterDeferrals() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().alwaysTempFail());
        DeliveryConfig.Retry warnAtOnce = new DeliveryConfig.Retry(0.2, 1.0, 0.2, 1.0, 0.0);
        DeliveryService service = service(config(route(hop.port(), DeliveryConfig.StartTls.OFF), warnAtOnce, 1));
        service.start();
        Envelope envelope = new Envelope("alice@example.com", Map.of("ENVID", "slow-1"), List.of("bob@remote.test"),
                Map.of("bob@remote.test", Map.of("NOTIFY", "DELAY,FAILURE")), "192.0.2.1", "client.test", null,
                Instant.now(), Map.of());
        service.submit(spool.store(SpoolArea.OUTGOING, envelope, new ByteArrayInputStream(
                message("alice@example.com", "bob@remote.test", "slow", "Hello\r\n"))));

        DeliveryTests.await(WAIT, () -> hop.transactions() >= 4);
        assertThat(bouncesQueued).hasSize(1);
        assertThat(outgoingAttribute(DeliveryService.ATTR_DELAY_REPORTED)).isEqualTo("true");
        String status = deliveryStatus(spool.open(bouncesQueued.get(0)));
        assertThat(status).contains("Original-Envelope-Id: slow-1").contains("Action: delayed")
                .contains("Status: 4.3.0");
    }

    // --- helpers ---

    private DeliveryService service(DeliveryConfig config) {
        DeliveryService service = new DeliveryService(config, spool, new DsnFactory(clock), metrics, clock,
                name -> null, bouncesQueued::add);
        closeables.add(service);
        return service;
    }

    private static DeliveryConfig config(DeliveryConfig.Route smarthost, DeliveryConfig.Retry retry, int connections) {
        return new DeliveryConfig(smarthost, null, connections, 10, 30, retry, "gw.example.com");
    }

    private static DeliveryConfig.Route route(int port, DeliveryConfig.StartTls starttls) {
        return DeliveryConfig.Route.of("127.0.0.1", port, starttls);
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private void queue(String sender, List<String> recipients, DeliveryService service) throws Exception {
        Envelope envelope = new Envelope(sender, Map.of(), recipients, "192.0.2.1", "client.test", null,
                Instant.now(), Map.of());
        byte[] raw = message(sender.isEmpty() ? "MAILER-DAEMON@example.com" : sender, recipients.get(0),
                "test message", "Hello\r\n");
        service.submit(spool.store(SpoolArea.OUTGOING, envelope, new ByteArrayInputStream(raw)));
    }

    private String outgoingAttribute(String name) throws Exception {
        List<SpoolEntry> outgoing = spool.list(SpoolArea.OUTGOING);
        return outgoing.isEmpty() ? null : outgoing.get(0).envelope().attributes().get(name);
    }

    private static byte[] message(String from, String to, String subject, String body) {
        String text = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + System.nanoTime() + "@example.com>\r\nX-Test-Marker: keep-me"
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8"
                + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    private static byte[] rawBody(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.getRawInputStream().transferTo(out);
        return out.toByteArray();
    }

    private static String deliveryStatus(MimeMessage dsn) throws Exception {
        ContentType type = new ContentType(dsn.getContentType());
        assertThat(type.getBaseType()).isEqualToIgnoringCase("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");
        Multipart parts = (Multipart) dsn.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(parts.getBodyPart(1).isMimeType("message/delivery-status")).isTrue();
        assertThat(parts.getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
        return DeliveryTests.partText(dsn, 1);
    }



}
