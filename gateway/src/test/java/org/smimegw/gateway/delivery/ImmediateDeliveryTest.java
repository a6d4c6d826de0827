package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.codahale.metrics.MetricRegistry;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.mailets.RemoteDelivery;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolContentWriter;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * The fast path: {@code RemoteDelivery} → {@link SpoolDeliveryQueue} with immediate delivery tries the next hop on
 * the calling thread over an idle pooled connection and stores in OUTGOING only what is left. The mail comes from
 * an INCOMING spool entry, as in the pipeline; a real SMTP server (SubEthaSMTP on loopback) is the next hop.
 */
class ImmediateDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final DeliveryConfig.Retry SLOW_RETRY = new DeliveryConfig.Retry(3600.0, 2.0, 7200.0, 120.0);

    @TempDir
    Path dir;

    private RecordingSpool spool;
    private final MetricRegistry metrics = new MetricRegistry();
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SpoolEntry> bouncesQueued = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        spool = new RecordingSpool(new FileSpool(dir, clock, new MetricRegistry()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    @Test
    void withAnIdleConnectionTheMailIsDeliveredOnTheCallingThreadAndNeverWrittenToOutgoing() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop());
        DeliveryService service = startedService(hop, SLOW_RETRY);
        warmUp(service, hop);
        AtomicReference<SpoolEntry> incoming = new AtomicReference<>();
        List<Boolean> incomingPresentDuringData = new CopyOnWriteArrayList<>();
        hop.onData(() -> incomingPresentDuringData.add(exists(incoming.get())));

        byte[] raw = message("alice@example.com", "immediate", "..dots\r\nä 8bit\r\n");
        incoming.set(spool.store(SpoolArea.INCOMING, envelope("alice@example.com", "bob@remote.test",
                "carol@remote.test"), new ByteArrayInputStream(raw)));
        Mail mail = mailFrom(incoming.get());
        mailet(service).service(mail);

        // delivered before service() returned: on this thread, over the pooled connection
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(hop.received()).hasSize(2);
        assertThat(hop.received().get(1).recipients()).containsExactly("bob@remote.test", "carol@remote.test");
        assertThat(hop.connections()).isEqualTo(1);
        String text = new String(hop.received().get(1).content(), StandardCharsets.UTF_8);
        // byte for byte what was spooled, except the Bcc: header, which the SMTP client drops (as on the queue path)
        assertThat(text.substring(text.indexOf("From: ")))
                .isEqualTo(new String(raw, StandardCharsets.UTF_8).replace("\r\nBcc: hidden@example.com", ""));
        assertThat(spool.outgoingStores).isEmpty(); // no OUTGOING entry was ever written for it
        assertThat(spool.list(SpoolArea.OUTGOING)).isEmpty();
        // the INCOMING entry was the durable record while the next hop received the message, and still is: the
        // pipeline deletes it only after the container finished (a crash before that repeats delivery)
        assertThat(incomingPresentDuringData).containsExactly(true);
        assertThat(exists(incoming.get())).isTrue();
        assertThat(metrics.counter("delivery.immediate").getCount()).isEqualTo(1);
        assertThat(metrics.counter("delivery.delivered").getCount()).isEqualTo(3); // warm-up + 2
        assertThat(bouncesQueued).isEmpty();
    }

    @Test
    void aDeferredRecipientAloneIsQueuedInOutgoingWithItsRetryScheduleAndDeliveredLater() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().deferRecipient("busy@remote.test"));
        DeliveryService service = startedService(hop, SLOW_RETRY);
        warmUp(service, hop);
        Instant before = Instant.now();

        mailet(service).service(mailFrom(spool.store(SpoolArea.INCOMING,
                envelope("alice@example.com", "bob@remote.test", "busy@remote.test"),
                new ByteArrayInputStream(message("alice@example.com", "deferred", "Hello\r\n")))));

        assertThat(hop.received()).hasSize(2);
        assertThat(hop.received().get(1).recipients()).containsExactly("bob@remote.test");
        assertThat(spool.outgoingStores).hasSize(1);
        List<SpoolEntry> outgoing = spool.list(SpoolArea.OUTGOING);
        assertThat(outgoing).hasSize(1);
        Envelope queued = outgoing.get(0).envelope();
        assertThat(queued.recipients()).containsExactly("busy@remote.test");
        assertThat(queued.sender()).isEqualTo("alice@example.com");
        assertThat(queued.attributes()).containsEntry(DeliveryService.ATTR_ATTEMPTS, "1")
                .containsKey(DeliveryService.ATTR_QUEUED_AT);
        assertThat(queued.attributes().get(DeliveryService.ATTR_LAST_ERROR)).startsWith("4.2.1").contains("450");
        assertThat(Instant.parse(queued.attributes().get(DeliveryService.ATTR_NEXT_ATTEMPT)))
                .isAfter(before.plusSeconds(3500)); // the normal retry schedule, not at once
        assertThat(metrics.counter("delivery.deferred").getCount()).isEqualTo(1);
        assertThat(spool.open(outgoing.get(0)).getSubject()).isEqualTo("deferred");

        hop.accept("busy@remote.test");
        DeliveryTests.await(WAIT, () -> {
            service.flush(); // until the deferred entry is back in the schedule (flush skips entries in flight)
            return hop.received().size() == 3;
        });
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty() && service.queueSize() == 0);
        assertThat(hop.received().get(2).recipients()).containsExactly("busy@remote.test");
        assertThat(bouncesQueued).isEmpty();
    }

    @Test
    void aPermanentRefusalBouncesWithOneDsnAndNothingIsQueued() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().refuse("nobody@remote.test")
                .refuse("gone@remote.test"));
        DeliveryService service = startedService(hop, SLOW_RETRY);
        warmUp(service, hop);

        mailet(service).service(mailFrom(spool.store(SpoolArea.INCOMING,
                envelope("alice@example.com", "bob@remote.test", "nobody@remote.test", "gone@remote.test"),
                new ByteArrayInputStream(message("alice@example.com", "bounce me", "Hello\r\n")))));

        assertThat(hop.received()).hasSize(2);
        assertThat(hop.received().get(1).recipients()).containsExactly("bob@remote.test");
        assertThat(spool.outgoingStores).isEmpty();
        assertThat(bouncesQueued).hasSize(1); // one DSN for both refused recipients
        SpoolEntry dsnEntry = bouncesQueued.get(0);
        assertThat(dsnEntry.envelope().hasNullSender()).isTrue();
        assertThat(dsnEntry.envelope().recipients()).containsExactly("alice@example.com");
        String status = DeliveryTests.partText(spool.open(dsnEntry), 1);
        assertThat(status).contains("Final-Recipient: rfc822; nobody@remote.test")
                .contains("Final-Recipient: rfc822; gone@remote.test").contains("Status: 5.1.1")
                .doesNotContain("bob@remote.test");
        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(2);
    }

    @Test
    void aNullSenderMailThatIsRefusedGetsNoDsn() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop().refuse("nobody@remote.test"));
        DeliveryService service = startedService(hop, SLOW_RETRY);
        warmUp(service, hop);

        mailet(service).service(mailFrom(spool.store(SpoolArea.INCOMING, envelope("", "nobody@remote.test"),
                new ByteArrayInputStream(message("MAILER-DAEMON@example.com", "dsn", "Hello\r\n")))));

        assertThat(metrics.counter("delivery.bounced").getCount()).isEqualTo(1);
        assertThat(bouncesQueued).isEmpty();
        assertThat(spool.outgoingStores).isEmpty();
        assertThat(spool.list(SpoolArea.INCOMING)).hasSize(1); // only the mail itself, no bounce
    }

    @Test
    void withoutAnIdleConnectionTheMailGoesToOutgoingAndTheWorkersDeliverIt() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop());
        DeliveryService service = startedService(hop, SLOW_RETRY); // nothing delivered yet: the pool is empty

        mailet(service).service(mailFrom(spool.store(SpoolArea.INCOMING, envelope("alice@example.com",
                "bob@remote.test"), new ByteArrayInputStream(message("alice@example.com", "queued", "Hello\r\n")))));

        assertThat(spool.outgoingStores).hasSize(1);
        assertThat(spool.outgoingStores.get(0).envelope().recipients()).containsExactly("bob@remote.test");
        assertThat(spool.outgoingStores.get(0).envelope().attributes())
                .doesNotContainKey(DeliveryService.ATTR_ATTEMPTS); // not attempted: due at once, no deferral
        DeliveryTests.await(WAIT, () -> hop.received().size() == 1);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty() && service.queueSize() == 0);
        assertThat(metrics.counter("delivery.immediate").getCount()).isZero();
        assertThat(metrics.counter("delivery.deferred").getCount()).isZero();
    }

    @Test
    void aPooledConnectionTheServerClosedMeanwhileSendsTheMailToOutgoingUndeferred() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop(Duration.ofMillis(300)));
        DeliveryService service = startedService(hop, SLOW_RETRY);
        warmUp(service, hop);
        Thread.sleep(1000); // the server drops the idle pooled connection meanwhile

        mailet(service).service(mailFrom(spool.store(SpoolArea.INCOMING, envelope("alice@example.com",
                "bob@remote.test"), new ByteArrayInputStream(message("alice@example.com", "late", "Hello\r\n")))));

        assertThat(spool.outgoingStores).hasSize(1);
        DeliveryTests.await(WAIT, () -> hop.received().size() == 2);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty() && service.queueSize() == 0);
        assertThat(metrics.counter("delivery.deferred").getCount()).isZero();
    }

    @Test
    void withImmediateDeliveryOffEveryMailIsQueued() throws Exception {
        ScriptedNextHop hop = closeLater(new ScriptedNextHop());
        DeliveryService service = startedService(hop, SLOW_RETRY);
        warmUp(service, hop);
        RemoteDelivery queueOnly = new RemoteDelivery(new SpoolDeliveryQueue(spool, clock, service::submit));

        queueOnly.service(mailFrom(spool.store(SpoolArea.INCOMING, envelope("alice@example.com", "bob@remote.test"),
                new ByteArrayInputStream(message("alice@example.com", "off", "Hello\r\n")))));

        assertThat(spool.outgoingStores).hasSize(1);
        DeliveryTests.await(WAIT, () -> hop.received().size() == 2);
        assertThat(metrics.counter("delivery.immediate").getCount()).isZero();
    }

    // --- helpers ---

    private DeliveryService startedService(ScriptedNextHop hop, DeliveryConfig.Retry retry) throws Exception {
        DeliveryConfig config = new DeliveryConfig(DeliveryConfig.Route.of("127.0.0.1", hop.port(),
                DeliveryConfig.StartTls.OFF), null, 2, 10, 30, retry, "gw.example.com", true);
        DeliveryService service = new DeliveryService(config, spool, new DsnFactory(clock), metrics, clock,
                name -> null, bouncesQueued::add);
        closeables.add(service);
        service.start();
        return service;
    }

    private RemoteDelivery mailet(DeliveryService service) {
        Supplier<DeliveryService> immediate = () -> service;
        return new RemoteDelivery(new SpoolDeliveryQueue(spool, clock, service::submit, immediate));
    }

    /** Delivers one mail through OUTGOING, which leaves its connection idle in the pool. */
    private void warmUp(DeliveryService service, ScriptedNextHop hop) throws Exception {
        int before = hop.received().size();
        service.submit(spool.store(SpoolArea.OUTGOING, envelope("alice@example.com", "warm@remote.test"),
                new ByteArrayInputStream(message("alice@example.com", "warm-up", "Hello\r\n"))));
        DeliveryTests.await(WAIT, () -> hop.received().size() == before + 1);
        DeliveryTests.await(WAIT, () -> spool.list(SpoolArea.OUTGOING).isEmpty() && service.queueSize() == 0);
        spool.outgoingStores.clear();
    }

    private Mail mailFrom(SpoolEntry incoming) throws Exception {
        Envelope e = incoming.envelope();
        MimeMessage message = spool.open(incoming); // file-backed, as the pipeline's mails are
        closeables.add(() -> ((AutoCloseable) message).close());
        FakeMail.Builder builder = FakeMail.builder().name(incoming.id()).mimeMessage(message)
                .recipients(e.recipients().toArray(String[]::new)).remoteAddr(e.clientAddress());
        return (e.hasNullSender() ? builder : builder.sender(e.sender())).build();
    }

    private boolean exists(SpoolEntry entry) {
        try {
            return entry != null && spool.find(SpoolArea.INCOMING, entry.id()).isPresent();
        } catch (SpoolException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private static Envelope envelope(String sender, String... recipients) {
        return new Envelope(sender, Map.of(), List.of(recipients), "192.0.2.1", "client.test", null, Instant.now(),
                Map.of());
    }

    private static byte[] message(String from, String subject, String body) {
        String text = "From: " + from + "\r\nTo: bob@remote.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + System.nanoTime() + "@example.com>\r\nBcc: hidden@example.com"
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8"
                + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;
        return text.getBytes(StandardCharsets.UTF_8);
    }




    /** The real file spool, remembering every entry stored in OUTGOING. */
    private static final class RecordingSpool implements Spool {
        private final Spool delegate;
        final List<SpoolEntry> outgoingStores = new CopyOnWriteArrayList<>();

        RecordingSpool(Spool delegate) {
            this.delegate = delegate;
        }

        private SpoolEntry record(SpoolEntry entry) {
            if (entry.area() == SpoolArea.OUTGOING) {
                outgoingStores.add(entry);
            }
            return entry;
        }

        @Override
        public SpoolEntry store(SpoolArea area, Envelope envelope, InputStream content) throws SpoolException {
            return record(delegate.store(area, envelope, content));
        }

        @Override
        public SpoolEntry store(SpoolArea area, Envelope envelope, MimeMessage message) throws SpoolException {
            return record(delegate.store(area, envelope, message));
        }

        @Override
        public SpoolEntry store(SpoolArea area, Envelope envelope, SpoolContentWriter writer) throws IOException {
            return record(delegate.store(area, envelope, writer));
        }

        @Override
        public List<SpoolEntry> list(SpoolArea area) throws SpoolException {
            return delegate.list(area);
        }

        @Override
        public Optional<SpoolEntry> find(SpoolArea area, String id) throws SpoolException {
            return delegate.find(area, id);
        }

        @Override
        public boolean contains(SpoolEntry entry) {
            return delegate.contains(entry);
        }

        @Override
        public boolean hasRoomFor(long bytes) {
            return delegate.hasRoomFor(bytes);
        }

        @Override
        public SpoolEntry updateEnvelope(SpoolEntry entry, Envelope envelope) throws SpoolException {
            return delegate.updateEnvelope(entry, envelope);
        }

        @Override
        public SpoolEntry move(SpoolEntry entry, SpoolArea to) throws SpoolException {
            return record(delegate.move(entry, to));
        }

        @Override
        public void delete(SpoolEntry entry) throws SpoolException {
            delegate.delete(entry);
        }

        @Override
        public MimeMessage open(SpoolEntry entry) throws SpoolException {
            return delegate.open(entry);
        }
    }
}
