package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.app.TestGatewayConfig;
import org.smimegw.gateway.smtp.RawSmtpClient;
import org.smimegw.gateway.spool.SpoolArea;

/**
 * The envelope's parameters across every stage: SMTP in with MAIL FROM and RCPT TO parameters, the spool, the
 * pipeline, the OUTGOING queue and SMTP out to a real next hop on loopback that records the command lines it gets;
 * the DSNs the gateway issues go through the pipeline to the same next hop and are read there.
 */
class EnvelopeParametersEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BODY_MARKER = "Gr\u00fc\u00dfe, body-marker";

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ScriptedNextHop hop;
    private GatewayApplication app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private void start(ScriptedNextHop nextHop, String retryYaml) throws Exception {
        hop = nextHop;
        closeables.add(hop);
        app = new GatewayApplication(TestGatewayConfig.load(dir, TestGatewayConfig.relayPipeline(""), """
                delivery:
                  smarthost: { host: 127.0.0.1, port: %d, starttls: OFF }
                  retry: { %s }
                """.formatted(hop.port(), retryYaml)));
        app.start();
    }

    /** One SMTP transaction with the given MAIL FROM line and RCPT TO lines (each must be accepted). */
    private void send(String mailFrom, String subject, String... rcptTo) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(app.smtpAddress().getPort())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command(mailFrom)).isEqualTo("250 2.1.0 Ok");
            for (String rcpt : rcptTo) {
                assertThat(c.command(rcpt)).as(rcpt).isEqualTo("250 2.1.5 Ok");
            }
            assertThat(c.data("From: alice@example.com\r\nTo: bob@remote.test\r\nSubject: " + subject
                    + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\n" + BODY_MARKER + "\r\n")).startsWith("250 ");
        }
    }

    private void awaitSpoolEmpty() throws Exception {
        DeliveryTests.await(WAIT, () -> app.health().queues().values().stream().allMatch(n -> n == 0));
    }

    /** The messages the next hop received with the null sender (the gateway's DSNs), parsed. */
    private List<MimeMessage> dsns() throws Exception {
        List<MimeMessage> dsns = new ArrayList<>();
        for (ScriptedNextHop.Received r : hop.received()) {
            if (r.from().isEmpty()) {
                dsns.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(r.content())));
            }
        }
        return dsns;
    }

    private static String deliveryStatus(MimeMessage dsn) throws Exception {
        assertThat(new ContentType(dsn.getContentType()).getParameter("report-type")).isEqualTo("delivery-status");
        return DeliveryTests.partText(dsn, 1);
    }

    private static String returnedContent(MimeMessage dsn) throws Exception {
        return new String(((Multipart) dsn.getContent()).getBodyPart(2).getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
    }

    @Test
    void aNextHopThatAnnouncesDsnGetsBodyAndTheDsnParametersUnchangedAndTheGatewayIssuesNoDsn() throws Exception {
        start(new ScriptedNextHop().announceDsn(), "initialDelaySeconds: 3600");
        send("MAIL FROM:<alice@example.com> BODY=8BITMIME RET=HDRS ENVID=env-42", "relayed with DSN",
                "RCPT TO:<bob@remote.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;bob@remote.test",
                "RCPT TO:<carol@remote.test>");

        DeliveryTests.await(WAIT, () -> hop.received().size() == 1);
        awaitSpoolEmpty();
        assertThat(hop.commandLines()).containsExactly(
                "MAIL FROM:<alice@example.com> BODY=8BITMIME RET=HDRS ENVID=env-42",
                "RCPT TO:<bob@remote.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;bob@remote.test",
                "RCPT TO:<carol@remote.test>");
        assertThat(hop.received()).hasSize(1); // the next hop answers for SUCCESS now, not the gateway
    }

    @Test
    void aNextHopWithoutDsnGetsBodyOnlyAndNotifySuccessGetsARelayedDsnWithEnvelopeIdAndOriginalRecipient()
            throws Exception {
        start(new ScriptedNextHop(), "initialDelaySeconds: 3600");
        send("MAIL FROM:<alice@example.com> BODY=8BITMIME RET=FULL ENVID=env+2B43", "relayed without DSN",
                "RCPT TO:<bob+x@remote.test> NOTIFY=SUCCESS ORCPT=rfc822;bob+2Bx@remote.test",
                "RCPT TO:<carol@remote.test> NOTIFY=FAILURE");

        DeliveryTests.await(WAIT, () -> hop.received().size() == 2);
        awaitSpoolEmpty();
        assertThat(hop.commandLines().subList(0, 3)).containsExactly("MAIL FROM:<alice@example.com> BODY=8BITMIME",
                "RCPT TO:<bob+x@remote.test>", "RCPT TO:<carol@remote.test>");
        List<MimeMessage> dsns = dsns();
        assertThat(dsns).hasSize(1);
        MimeMessage relayed = dsns.get(0);
        assertThat(relayed.getHeader("To", ",")).isEqualTo("alice@example.com");
        String status = deliveryStatus(relayed);
        assertThat(status).contains("Original-Envelope-Id: env+43\r\n")
                .contains("Original-Recipient: rfc822;bob+x@remote.test\r\n")
                .contains("Final-Recipient: rfc822; bob+x@remote.test\r\n")
                .contains("Action: relayed\r\n").contains("Status: 2.0.0\r\n")
                .doesNotContain("carol");
        // a success DSN returns the headers only, whatever RET says (RFC 3461 section 4.3)
        assertThat(returnedContent(relayed)).contains("Subject: relayed without DSN").doesNotContain("body-marker");
    }

    @Test
    void aBounceCarriesTheEnvelopeIdAndReturnsTheHeadersForRetHdrsAndTheWholeMessageForRetFull() throws Exception {
        start(new ScriptedNextHop().refuse("bob@remote.test"), "initialDelaySeconds: 3600");
        send("MAIL FROM:<alice@example.com> RET=HDRS ENVID=hdrs-1", "headers only", "RCPT TO:<bob@remote.test>");
        send("MAIL FROM:<alice@example.com> BODY=8BITMIME RET=FULL ENVID=full-1", "whole message",
                "RCPT TO:<bob@remote.test> ORCPT=rfc822;bob@remote.test");

        DeliveryTests.await(WAIT, () -> dsns().size() == 2);
        awaitSpoolEmpty();
        MimeMessage hdrs = null;
        MimeMessage full = null;
        for (MimeMessage dsn : dsns()) {
            String status = deliveryStatus(dsn);
            assertThat(status).contains("Action: failed\r\n").contains("Status: 5.1.1\r\n");
            if (status.contains("Original-Envelope-Id: hdrs-1\r\n")) {
                hdrs = dsn;
            } else if (status.contains("Original-Envelope-Id: full-1\r\n")) {
                full = dsn;
            }
        }
        assertThat(hdrs).isNotNull();
        assertThat(full).isNotNull();
        assertThat(deliveryStatus(hdrs)).doesNotContain("Original-Recipient");
        assertThat(deliveryStatus(full)).contains("Original-Recipient: rfc822;bob@remote.test\r\n");
        Multipart hdrsParts = (Multipart) hdrs.getContent();
        assertThat(hdrsParts.getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
        assertThat(returnedContent(hdrs)).contains("Subject: headers only").doesNotContain("body-marker");
        Multipart fullParts = (Multipart) full.getContent();
        assertThat(fullParts.getBodyPart(2).isMimeType("message/rfc822")).isTrue();
        assertThat(returnedContent(full)).contains("Subject: whole message").contains(BODY_MARKER);
        // the DSN that returns 8-bit content is itself relayed with BODY=8BITMIME
        assertThat(hop.commandLines()).contains("MAIL FROM:<> BODY=8BITMIME");
    }

    @Test
    void notifyIsObeyedPerRecipientWithFailureAsTheDefault() throws Exception {
        start(new ScriptedNextHop().refuse("never@remote.test").refuse("default@remote.test")
                .refuse("success@remote.test"), "initialDelaySeconds: 3600");
        send("MAIL FROM:<alice@example.com> ENVID=per-rcpt", "per recipient",
                "RCPT TO:<never@remote.test> NOTIFY=NEVER", "RCPT TO:<default@remote.test>",
                "RCPT TO:<success@remote.test> NOTIFY=SUCCESS", "RCPT TO:<erin@remote.test> NOTIFY=SUCCESS",
                "RCPT TO:<frank@remote.test> NOTIFY=NEVER");

        DeliveryTests.await(WAIT, () -> dsns().size() == 2);
        awaitSpoolEmpty();
        assertThat(dsns()).hasSize(2);
        String failed = null;
        String relayed = null;
        for (MimeMessage dsn : dsns()) {
            String status = deliveryStatus(dsn);
            if (status.contains("Action: failed")) {
                failed = status;
            } else {
                relayed = status;
            }
        }
        assertThat(failed).contains("Final-Recipient: rfc822; default@remote.test")
                .doesNotContain("never@").doesNotContain("success@").doesNotContain("erin@").doesNotContain("relayed");
        assertThat(relayed).contains("Final-Recipient: rfc822; erin@remote.test").contains("Action: relayed")
                .doesNotContain("never@").doesNotContain("default@").doesNotContain("success@")
                .doesNotContain("frank@");
    }

    @Test
    void aDelayNoticeGoesOnlyToRecipientsThatAskedForDelayNotices() throws Exception {
        start(new ScriptedNextHop().deferRecipient("slow@remote.test").deferRecipient("quiet@remote.test"),
                "initialDelaySeconds: 3600, delayWarningHours: 0");
        send("MAIL FROM:<alice@example.com> ENVID=delayed-1", "delayed",
                "RCPT TO:<slow@remote.test> NOTIFY=DELAY,FAILURE ORCPT=rfc822;slow@remote.test",
                "RCPT TO:<quiet@remote.test>");

        DeliveryTests.await(WAIT, () -> dsns().size() == 1);
        DeliveryTests.await(WAIT, () -> app.spool().list(SpoolArea.INCOMING).isEmpty());
        assertThat(app.spool().list(SpoolArea.OUTGOING)).hasSize(1); // both still waiting for their retry
        String status = deliveryStatus(dsns().get(0));
        assertThat(status).contains("Original-Envelope-Id: delayed-1\r\n")
                .contains("Original-Recipient: rfc822;slow@remote.test\r\n")
                .contains("Final-Recipient: rfc822; slow@remote.test\r\n").contains("Action: delayed\r\n")
                .contains("Status: 4.2.1\r\n").contains("Will-Retry-Until: ").doesNotContain("quiet@");
        assertThat(dsns().get(0).getSubject()).contains("Delayed");
    }
}
