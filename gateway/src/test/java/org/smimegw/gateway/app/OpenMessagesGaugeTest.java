package org.smimegw.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import com.codahale.metrics.Gauge;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.spool.FileSpool;

/** Every spool message the pipeline opens is closed again: spool.open.messages returns to 0 after a few hundred mails. */
class OpenMessagesGaugeTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int MAILS = 300;

    @TempDir
    Path dir;
    private GatewayApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void openSpoolMessagesReturnToZeroAfterAFewHundredMails() throws Exception {
        // the matcher splits each mail: alice's copy gets a header (a changed scratch copy), carol's goes on as is
        String pipeline = GatewayEndToEndTest.pipeline("""
                      <mailet match="RecipientIs=alice@example.com" class="org.apache.james.transport.mailets.SetMimeHeader">
                        <name>X-For-Alice</name>
                        <value>yes</value>
                      </mailet>
                """);
        app = new GatewayApplication(TestGatewayConfig.load(dir, pipeline, """
                embeddedMailbox:
                  enabled: true
                  smtpPort: 0
                  imapPort: 0
                """));
        app.start();
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        Properties props = new Properties();
        props.put("mail.smtp.host", app.smtpAddress().getHostString());
        props.put("mail.smtp.port", String.valueOf(app.smtpAddress().getPort()));
        Session session = Session.getInstance(props);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            for (int i = 0; i < MAILS; i++) {
                MimeMessage m = new MimeMessage(session);
                m.setFrom("bob@example.net");
                m.setRecipients(Message.RecipientType.TO, "alice@example.com, carol@example.com");
                m.setSubject("gauge " + i);
                m.setText("mail " + i + "\r\n");
                m.saveChanges();
                transport.sendMessage(m, m.getAllRecipients());
            }
        }
        await("all delivered", () -> greenMail.getReceivedMessages().length == 2 * MAILS);
        await("pipeline and queues idle", () -> app.health().queues().values().stream().allMatch(n -> n == 0)
                && ((Number) gauge("pipeline.queued").getValue()).intValue() == 0);
        assertThat(((Number) gauge(FileSpool.OPEN_MESSAGES_GAUGE).getValue()).longValue()).isZero();
    }

    private Gauge<?> gauge(String name) {
        Gauge<?> g = app.metrics().getGauges().get(name);
        assertThat(g).as(name).isNotNull();
        return g;
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
}
