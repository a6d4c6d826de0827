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

        DsnFactory.Dsn created = factory.create(envelope, original, List.of(
                DsnFactory.ReportedRecipient.failed("bob@remote.test", "5.7.1",
                        "message must be encrypted (RequireEncryptedSMIMEMessages)"),
                DsnFactory.ReportedRecipient.failed("carol@remote.test", "5.1.1", "550 5.1.1 user\r\nunknown")),
                "gw.example.com").orElseThrow();
        assertThat(created.envelope().hasNullSender()).isTrue();
        assertThat(created.envelope().recipients()).containsExactly("alice@example.com");
        assertThat(created.envelope().mailParameters()).isEmpty();
        MimeMessage dsn = created.message();

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
    void aNullSenderMessageGetsNoReport() throws Exception {
        Envelope bounce = new Envelope("", Map.of(), List.of("x@remote.test"), "127.0.0.1", "gw", null,
                Instant.now(), Map.of());
        assertThat(factory.create(bounce, message("Subject: a bounce\r\n\r\nbody\r\n"),
                List.of(DsnFactory.ReportedRecipient.failed("x@remote.test", "5.1.1", "550 no")), "gw")).isEmpty();
    }

    @Test
    void rejectsAStatusThatIsNotAnEnhancedStatusCodeOfTheActionsClass() {
        assertThatThrownBy(() -> DsnFactory.ReportedRecipient.failed("x@remote.test", "550", "no"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DsnFactory.ReportedRecipient.failed("x@remote.test", "4.2.1", "busy"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DsnFactory.ReportedRecipient("x@remote.test", DsnFactory.Action.RELAYED,
                "5.0.0", "no", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachRecipientIsReportedOnlyForWhatItsNotifyAsksWithFailureAsTheDefault() throws Exception {
        Envelope envelope = new Envelope("alice@example.com", Map.of(),
                List.of("never@remote.test", "default@remote.test", "success@remote.test", "all@remote.test"),
                Map.of("never@remote.test", Map.of("NOTIFY", "NEVER"),
                        "success@remote.test", Map.of("NOTIFY", "SUCCESS"),
                        "all@remote.test", Map.of("NOTIFY", "success,failure,delay")),
                "192.0.2.1", "client.test", null, Instant.parse("2026-01-02T03:00:00Z"), Map.of());
        MimeMessage original = message("Subject: s\r\n\r\nbody\r\n");
        List<String> recipients = envelope.recipients();

        assertThat(reported(factory.create(envelope, original, recipients.stream()
                .map(r -> DsnFactory.ReportedRecipient.failed(r, "5.1.1", "550 no")).toList(), "gw")))
                .containsExactly("default@remote.test", "all@remote.test");
        assertThat(reported(factory.create(envelope, original, recipients.stream()
                .map(r -> new DsnFactory.ReportedRecipient(r, DsnFactory.Action.DELAYED, "4.2.1", "450 busy",
                        Instant.parse("2026-01-07T03:00:00Z"))).toList(), "gw")))
                .containsExactly("all@remote.test");
        assertThat(reported(factory.create(envelope, original, recipients.stream()
                .map(r -> new DsnFactory.ReportedRecipient(r, DsnFactory.Action.RELAYED, "2.0.0", "250 ok", null))
                .toList(), "gw")))
                .containsExactly("success@remote.test", "all@remote.test");
        assertThat(factory.create(envelope, original,
                List.of(DsnFactory.ReportedRecipient.failed("never@remote.test", "5.1.1", "550 no")), "gw")).isEmpty();
    }

    @Test
    void theOriginalRecipientAndTheEnvelopeIdAreXtextDecodedAndRetFullReturnsTheWholeMessageOfAFailure()
            throws Exception {
        Envelope envelope = new Envelope("alice@example.com",
                Map.of("ENVID", "id+2B1+3D2", "RET", "FULL", "BODY", "8BITMIME"), List.of("bob+x@remote.test"),
                Map.of("bob+x@remote.test", Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;bob+2Bx@remote.test")),
                "192.0.2.1", "client.test", null, Instant.parse("2026-01-02T03:00:00Z"), Map.of());
        MimeMessage original = message("Subject: whole\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe, the body\r\n");

        DsnFactory.Dsn failed = factory.create(envelope, original,
                List.of(DsnFactory.ReportedRecipient.failed("bob+x@remote.test", "5.2.2", "552 mailbox full")), "gw")
                .orElseThrow();
        MimeMessage parsed = reparse(failed.message());
        String status = text((Multipart) parsed.getContent(), 1);
        assertThat(status).contains("Original-Envelope-Id: id+1=2\r\n")
                .contains("\r\nOriginal-Recipient: rfc822;bob+x@remote.test\r\nFinal-Recipient: rfc822; bob+x@remote.test\r\n");
        Multipart parts = (Multipart) parsed.getContent();
        assertThat(parts.getBodyPart(2).isMimeType("message/rfc822")).isTrue();
        assertThat(text(parts, 2)).contains("Subject: whole").contains("Gr\u00fc\u00dfe, the body");
        assertThat(parsed.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        // the report carries the 8-bit original, so it is itself sent with BODY=8BITMIME
        assertThat(failed.envelope().mailParameters()).isEqualTo(Map.of("BODY", "8BITMIME"));

        // a success report returns the headers only, whatever RET says (RFC 3461 section 4.3)
        DsnFactory.Dsn relayed = factory.create(envelope, original, List.of(new DsnFactory.ReportedRecipient(
                "bob+x@remote.test", DsnFactory.Action.RELAYED, "2.0.0", "250 2.0.0 Ok", null)), "gw").orElseThrow();
        MimeMessage relayedParsed = reparse(relayed.message());
        Multipart relayedParts = (Multipart) relayedParsed.getContent();
        assertThat(relayedParts.getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
        assertThat(text(relayedParts, 2)).contains("Subject: whole").doesNotContain("the body");
        assertThat(text(relayedParts, 1)).contains("Action: relayed\r\nStatus: 2.0.0\r\n");
        assertThat(relayedParsed.getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(relayed.envelope().mailParameters()).isEmpty();
    }

    @Test
    void aDelayReportSaysUntilWhenTheGatewayKeepsTrying() throws Exception {
        Envelope envelope = new Envelope("alice@example.com", Map.of(), List.of("bob@remote.test"),
                Map.of("bob@remote.test", Map.of("NOTIFY", "DELAY")), "192.0.2.1", "client.test", null,
                Instant.parse("2026-01-02T03:00:00Z"), Map.of());
        MimeMessage parsed = reparse(factory.create(envelope, message("Subject: slow\r\n\r\nbody\r\n"),
                List.of(new DsnFactory.ReportedRecipient("bob@remote.test", DsnFactory.Action.DELAYED, "4.2.1",
                        "450 4.2.1 mailbox busy", Instant.parse("2026-01-07T03:00:00Z"))), "gw").orElseThrow().message());
        assertThat(parsed.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        assertThat(text((Multipart) parsed.getContent(), 1)).contains("Action: delayed\r\nStatus: 4.2.1\r\n")
                .contains("Will-Retry-Until: Wed, 7 Jan 2026 03:00:00 +0000");
    }

    private MimeMessage message(String raw) throws Exception {
        return new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    private MimeMessage reparse(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return new MimeMessage(session, new ByteArrayInputStream(out.toByteArray()));
    }

    /** The Final-Recipient addresses of a report, in order. */
    private List<String> reported(java.util.Optional<DsnFactory.Dsn> dsn) throws Exception {
        String status = text((Multipart) reparse(dsn.orElseThrow().message()).getContent(), 1);
        return java.util.Arrays.stream(status.split("\r\n")).filter(l -> l.startsWith("Final-Recipient: rfc822; "))
                .map(l -> l.substring("Final-Recipient: rfc822; ".length())).toList();
    }

    private static String text(Multipart parts, int index) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.getBodyPart(index).getInputStream().transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
