package org.smimegw.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.delivery.TestDnsServer;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;

/** The whole gateway on ephemeral loopback ports, with the embedded GreenMail as next hop. */
class GatewayEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private GatewayApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    static final String PIPELINE = pipeline("");

    /** A standard James mailet by its full class name, changing the message on its way. */
    static final String PIPELINE_WITH_MAILET = pipeline("""
                  <mailet match="All" class="org.apache.james.transport.mailets.SetMimeHeader">
                    <name>X-Added-By-Mailet</name>
                    <value>SetMimeHeader</value>
                  </mailet>
            """);

    static String pipeline(String transportMailets) {
        return TestGatewayConfig.relayPipeline(transportMailets);
    }

    private GatewayConfig config(String pipelineXml, String extraYaml) throws Exception {
        return TestGatewayConfig.load(dir, pipelineXml, extraYaml);
    }

    private static final String EMBEDDED = """
            embeddedMailbox:
              enabled: true
              smtpPort: 0
              imapPort: 0
            """;

    private GatewayApplication start(GatewayConfig config) throws Exception {
        app = new GatewayApplication(config);
        app.start();
        return app;
    }

    private static MimeMessage message(Session session, String subject) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom("bob@example.net");
        message.setRecipients(Message.RecipientType.TO, "alice@example.com");
        message.setSubject(subject);
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Grüße aus dem Test\r\nzweite Zeile\r\n", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        byte[] bytes = new byte[20_000];
        new java.util.Random(42).nextBytes(bytes);
        attachment.setContent(bytes, "application/octet-stream");
        attachment.setFileName("random.bin");
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    private static MimeMessage textMessage(String from, String to, String subject) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject);
        message.setText("hello");
        message.saveChanges();
        return message;
    }

    /** Sends as it is (Transport.send would call saveChanges() and so change the Message-ID). */
    private static void send(java.net.InetSocketAddress server, MimeMessage message) throws Exception {
        try (Transport transport = session(server).getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static Session session(java.net.InetSocketAddress server) {
        Properties props = new Properties();
        props.put("mail.smtp.host", server.getHostString());
        props.put("mail.smtp.port", String.valueOf(server.getPort()));
        return Session.getInstance(props);
    }

    private static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String body(String raw) {
        return raw.substring(raw.indexOf("\r\n\r\n") + 4);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void relaysAMessageIntactToTheNextHopWithAReceivedHeader() throws Exception {
        start(config(PIPELINE, EMBEDDED));
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        MimeMessage sent = message(session(app.smtpAddress()), "end to end");
        String sentRaw = raw(sent);

        send(app.smtpAddress(), sent);

        assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        MimeMessage received = greenMail.getReceivedMessages()[0];
        String receivedRaw = raw(received);
        assertThat(body(receivedRaw)).isEqualTo(body(sentRaw)); // byte for byte
        assertThat(received.getSubject()).isEqualTo("end to end");
        assertThat(received.getMessageID()).isEqualTo(sent.getMessageID());
        assertThat(received.getHeader("Received")).anySatisfy(h -> assertThat(h).contains("gw.test"));
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("alice@example.com");

        // the spool is empty again, and the counters saw it
        await("empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));
        assertThat(app.metrics().counter("smtp.accepted").getCount()).isEqualTo(1);
        assertThat(app.metrics().counter("delivery.delivered").getCount()).isEqualTo(1);
    }

    @Test
    void aMailArrivingWhileAConnectionIsIdleIsDeliveredImmediatelyIntactAndTheSpoolEndsEmpty() throws Exception {
        start(config(PIPELINE_WITH_MAILET, EMBEDDED));
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        send(app.smtpAddress(), message(session(app.smtpAddress()), "first, via the queue"));
        assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        await("empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));
        assertThat(app.metrics().counter("delivery.immediate").getCount()).isZero(); // no connection yet

        MimeMessage sent = message(session(app.smtpAddress()), "second, immediately");
        String sentRaw = raw(sent);
        send(app.smtpAddress(), sent);

        assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();
        MimeMessage received = greenMail.getReceivedMessages()[1];
        assertThat(received.getSubject()).isEqualTo("second, immediately");
        assertThat(received.getHeader("X-Added-By-Mailet", null)).isEqualTo("SetMimeHeader");
        assertThat(received.getMessageID()).isEqualTo(sent.getMessageID());
        String receivedRaw = raw(received);
        assertThat(body(receivedRaw)).isEqualTo(body(sentRaw));
        await("empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));
        assertThat(app.metrics().counter("delivery.immediate").getCount()).isEqualTo(1);
        assertThat(app.metrics().counter("delivery.delivered").getCount()).isEqualTo(2);
    }

    @Test
    void withImmediateDeliveryOffEveryMailGoesThroughTheQueue() throws Exception {
        start(config(PIPELINE, EMBEDDED + "delivery:\n  immediate: false\n"));
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        for (int i = 1; i <= 2; i++) {
            send(app.smtpAddress(), message(session(app.smtpAddress()), "queued " + i));
            assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), i)).isTrue();
            await("empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));
        }
        assertThat(app.metrics().counter("delivery.immediate").getCount()).isZero();
        assertThat(app.metrics().counter("delivery.delivered").getCount()).isEqualTo(2);
    }

    @Test
    void aStandardJamesMailetConfiguredByClassNameRuns() throws Exception {
        start(config(PIPELINE_WITH_MAILET, EMBEDDED));
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        MimeMessage sent = message(session(app.smtpAddress()), "with a mailet");
        String sentBody = body(raw(sent));

        send(app.smtpAddress(), sent);

        assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getHeader("X-Added-By-Mailet")).containsExactly("SetMimeHeader");
        assertThat(body(raw(received))).isEqualTo(sentBody);
        assertThat(app.metrics().getTimers()).containsKey("mailet.transport.SetMimeHeader");
    }

    @Test
    void aMailetsChangeKeepsTheMessageId() throws Exception {
        start(config(PIPELINE_WITH_MAILET, EMBEDDED));
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        MimeMessage sent = message(session(app.smtpAddress()), "keeps its id");
        send(app.smtpAddress(), sent);
        assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        assertThat(greenMail.getReceivedMessages()[0].getMessageID()).isEqualTo(sent.getMessageID());
    }

    @Test
    void adminEndpointServesMetricsAndHealthOfTheRunningGateway() throws Exception {
        start(config(PIPELINE, EMBEDDED));
        send(app.smtpAddress(), message(session(app.smtpAddress()), "metrics"));
        assertThat(app.embeddedMailbox().orElseThrow().greenMail().waitForIncomingEmail(WAIT.toMillis(), 1))
                .isTrue();
        await("delivered counter", () -> app.metrics().counter("delivery.delivered").getCount() == 1);

        String base = "http://127.0.0.1:" + app.adminAddress().orElseThrow().getPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("(?m)^smtp_accepted_messages_total 1\\.0$")
                .containsPattern("(?m)^delivery_recipients_total\\{outcome=\"delivered\"} 1\\.0$")
                .contains("spool_messages{area=\"incoming\"}")
                .contains("processor_duration_seconds_count{processor=\"transport\"}");

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"smtp\":\"up\"")
                .contains("\"delivery\":\"up\"").contains("\"pipeline\":\"up\"").contains("\"incoming\":0");
    }

    @Test
    void mailLeftInTheSpoolIsDeliveredAfterARestart() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // 1st run: the next hop is down, so the mail stays deferred in the outgoing area
        start(config(PIPELINE, """
                delivery:
                  smarthost: {host: 127.0.0.1, port: %d, starttls: OFF}
                  connectTimeoutSeconds: 5
                  retry: {initialDelaySeconds: 1, maxDelaySeconds: 1}
                """.formatted(closedPort)));
        send(app.smtpAddress(), message(session(app.smtpAddress()), "survives a restart"));
        await("a deferred delivery", () -> app.metrics().counter("delivery.deferred").getCount() >= 1);
        Path spoolDir = app.config().stateDir().resolve("spool");
        app.stop();
        app = null;
        // and one more accepted mail that the pipeline never saw (as if the gateway died right after the 250)
        FileSpool offline = new FileSpool(spoolDir, java.time.Clock.systemUTC(), new com.codahale.metrics.MetricRegistry());
        assertThat(offline.list(SpoolArea.OUTGOING)).hasSize(1);
        MimeMessage second = message(Session.getInstance(new Properties()), "never processed before the stop");
        offline.store(SpoolArea.INCOMING, new Envelope("bob@example.net", Map.of(), java.util.List.of("carol@example.com"),
                "127.0.0.1", "client.test", null, Instant.now(), Map.of()), second);

        // 2nd run on the same state directory, with the embedded mailbox as next hop
        start(config(PIPELINE, EMBEDDED));
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();
        assertThat(java.util.Arrays.stream(greenMail.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        })).containsExactlyInAnyOrder("survives a restart", "never processed before the stop");
        await("empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));
    }

    @Test
    void brokenMailetContainerStopsTheStartWithFileLineAndReason() throws Exception {
        GatewayConfig config = config("""
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="NoSuchMailet"/>
                    </processor>
                  </processors>
                </mailetcontainer>
                """, EMBEDDED);
        GatewayApplication broken = new GatewayApplication(config);
        assertThatThrownBy(broken::start)
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith(dir.resolve("mailetcontainer.xml") + ":4: ")
                .hasMessageContaining("NoSuchMailet");
        assertThat(broken.isRunning()).isFalse();
        assertThat(broken.embeddedMailbox()).isEmpty();

        GatewayConfig notXml = config("<mailetcontainer><processors>", EMBEDDED);
        assertThatThrownBy(() -> new GatewayApplication(notXml).start())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("mailetcontainer.xml:")
                .hasMessageContaining("XML");
    }

    @Test
    void portInUseIsAClearStartupErrorAndNothingStaysRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            GatewayConfig config = config(PIPELINE, EMBEDDED);
            config = config.withSmtp(config.smtp().withPort(taken.getLocalPort()));
            GatewayApplication clash = new GatewayApplication(config);
            assertThatThrownBy(clash::start)
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("smtp: ")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThat(clash.isRunning()).isFalse();
            assertThat(clash.health().healthy()).isFalse();
        }
    }

    /**
     * A tester sees the bounce: the next hop of partner.test refuses the recipient, and the gateway's DSN (sent
     * from the null sender) arrives in the sender's mailbox of the embedded next hop, readable over IMAP.
     */
    @Test
    void aBounceReachesTheSendersMailboxInTheEmbeddedNextHop() throws Exception {
        SMTPServer refusing = SMTPServer.port(0).bindAddress(java.net.InetAddress.getLoopbackAddress())
                .hostName("refusing.test").messageHandlerFactory(ctx -> new RefusingHandler()).build();
        refusing.start();
        try {
            start(config(PIPELINE, EMBEDDED + """
                    delivery:
                      routes:
                        partner.test: {host: 127.0.0.1, port: %d, starttls: OFF}
                    """.formatted(refusing.getPortAllocated())));
            send(app.smtpAddress(), textMessage("alice@example.com", "nobody@partner.test",
                    "to a mailbox that does not exist"));

            EmbeddedMailbox mailbox = app.embeddedMailbox().orElseThrow();
            assertThat(mailbox.greenMail().waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
            List<MimeMessage> inbox = ImapInbox.read(mailbox, "alice@example.com");
            assertThat(inbox).hasSize(1);
            MimeMessage dsn = inbox.get(0);
            assertThat(dsn.getHeader("Return-Path", null)).isEqualTo("<>");
            assertThat(dsn.getContentType()).contains("multipart/report").contains("delivery-status");
            assertThat(raw(dsn)).contains("Final-Recipient: rfc822; nobody@partner.test")
                    .contains("Status: 5.1.1").contains("550 5.1.1 no such user here");
        } finally {
            refusing.stop();
        }
    }

    /** Without a smarthost or route, mail goes to the recipient domain's MX host, found with the configured DNS. */
    @Test
    void directDeliveryToTheMxHostOfTheRecipientsDomain() throws Exception {
        GreenMail mxHost = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mxHost.start();
        try (TestDnsServer dns = TestDnsServer.forTestZone("""
                remote     IN MX  10 mx.remote
                mx.remote  IN A   127.0.0.1
                """)) {
            start(config(PIPELINE, """
                    delivery:
                      mx: {dnsServers: [127.0.0.1], dnsPort: %d, port: %d}
                    """.formatted(dns.port(), mxHost.getSmtp().getPort())));
            send(app.smtpAddress(), textMessage("alice@example.com", "bob@remote.test", "straight to the MX"));

            assertThat(mxHost.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
            assertThat(mxHost.getReceivedMessages()[0].getSubject()).isEqualTo("straight to the MX");
            assertThat(dns.queries("remote.test.", org.xbill.DNS.Type.MX)).isEqualTo(1);
        } finally {
            mxHost.stop();
        }
    }

    /** A next hop that knows no user: every RCPT is refused with 550 5.1.1. */
    private static final class RefusingHandler implements MessageHandler {
        @Override
        public void from(String from) {
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            throw new RejectException(550, "5.1.1 no such user here");
        }

        @Override
        public String data(java.io.InputStream data) {
            throw new IllegalStateException("no recipient was accepted");
        }

        @Override
        public void done() {
        }
    }
}
