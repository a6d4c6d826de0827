package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import org.smimegw.gateway.spool.Envelope;

class DsnFactoryTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final DsnFactory factory = new DsnFactory(clock);
    private final Session session = Session.getInstance(new Properties());

    @Test
    void policyRefusalReportRoundTripsAsAnRfc3464Report() throws Exception {
        MimeMessage original = new MimeMessage(session, new ByteArrayInputStream((
                "From: alice@example.com\r\nTo: bob@remote.test, carol@remote.test\r\nSubject: secret plans\r\n"
                        + "Message-ID: <abc@example.com>\r\n\r\nbody that must not be copied\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        Envelope envelope = new Envelope("alice@example.com", Map.of("ENVID", "env-42"),
                List.of("bob@remote.test", "carol@remote.test"), "192.0.2.1", "client.test", null,
                Instant.parse("2026-01-02T03:00:00Z"), Map.of());

        MimeMessage dsn = factory.create(envelope, original, List.of(
                new DsnFactory.FailedRecipient("bob@remote.test", "5.7.1",
                        "message must be encrypted (RequireEncryptedSMIMEMessages)"),
                new DsnFactory.FailedRecipient("carol@remote.test", "5.1.1", "550 5.1.1 user\r\nunknown")),
                "gw.example.com");

        // what is written to the spool parses back
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dsn.writeTo(out);
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(out.toByteArray()));
        assertThat(parsed.getHeader("To", null)).isEqualTo("alice@example.com");
        assertThat(parsed.getHeader("From", null)).contains("MAILER-DAEMON@gw.example.com");
        assertThat(parsed.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        ContentType type = new ContentType(parsed.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");

        Multipart parts = (Multipart) parsed.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        String human = text(parts, 0);
        assertThat(human).contains("<bob@remote.test>").contains("RequireEncryptedSMIMEMessages");
        String status = text(parts, 1);
        assertThat(parts.getBodyPart(1).isMimeType("message/delivery-status")).isTrue();
        assertThat(status).startsWith("Reporting-MTA: dns; gw.example.com\r\n")
                .contains("Original-Envelope-Id: env-42\r\n")
                .contains("Arrival-Date: Fri, 2 Jan 2026 03:00:00 +0000")
                .contains("\r\n\r\nFinal-Recipient: rfc822; bob@remote.test\r\nAction: failed\r\nStatus: 5.7.1\r\n"
                        + "Diagnostic-Code: X-Smimegw; message must be encrypted (RequireEncryptedSMIMEMessages)\r\n")
                .contains("Final-Recipient: rfc822; carol@remote.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                        + "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n");
        assertThat(parts.getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
        assertThat(text(parts, 2)).contains("Subject: secret plans").contains("Message-ID: <abc@example.com>")
                .doesNotContain("body that must not be copied");
    }

    @Test
    void refusesToBounceANullSenderMessage() {
        Envelope bounce = new Envelope("", Map.of(), List.of("x@remote.test"), "127.0.0.1", "gw", null,
                Instant.now(), Map.of());
        assertThatThrownBy(() -> factory.create(bounce, java.util.Collections.emptyEnumeration(),
                List.of(new DsnFactory.FailedRecipient("x@remote.test", "5.1.1", "550 no")), "gw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null sender");
    }

    @Test
    void rejectsAStatusThatIsNotAnEnhancedStatusCode() {
        assertThatThrownBy(() -> new DsnFactory.FailedRecipient("x@remote.test", "550", "no"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(Multipart parts, int index) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.getBodyPart(index).getInputStream().transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
