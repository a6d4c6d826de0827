package org.smimegw.gateway.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.mailet.LookupException;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

class GatewayMailAndContextTest {
    @TempDir
    Path dir;
    ContainerFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ContainerFixture(dir);
    }

    private SpoolEntry stored(String sender, Map<String, String> attributes) throws Exception {
        Envelope envelope = new Envelope(sender, Map.of(), List.of("bob@example.org", "carol@example.com"),
                "192.0.2.7", "mx.client.example", "alice", Instant.parse("2026-01-02T03:04:05Z"), attributes);
        String text = "From: alice@example.com\r\nSubject: spooled\r\n\r\nbody line\r\n";
        return fx.spool.store(SpoolArea.INCOMING, envelope,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void mailFromSpoolCarriesTheEnvelope() throws Exception {
        SpoolEntry entry = stored("alice@example.com", Map.of());
        GatewayMail mail = GatewayMail.fromSpool(entry, fx.spool, fx.scratch);
        assertThat(mail.getName()).isEqualTo(entry.id());
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(mail.getMaybeSender().asString()).isEqualTo("alice@example.com");
        assertThat(mail.getRecipients()).extracting(MailAddress::asString)
                .containsExactly("bob@example.org", "carol@example.com");
        assertThat(mail.getRemoteAddr()).isEqualTo("192.0.2.7");
        assertThat(mail.getAttribute(Mail.SMTP_HELO)).map(a -> (Object) a.getValue().value()).contains((Object) "mx.client.example");
        assertThat(mail.getAttribute(Mail.SMTP_AUTH_USER)).map(a -> (Object) a.getValue().value()).contains((Object) "alice");
        assertThat(mail.getLastUpdated().toInstant()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(mail.getMessageSize()).isEqualTo(Files.size(entry.contentFile()));
        assertThat(mail.getMessage().getSubject()).isEqualTo("spooled");
    }

    @Test
    void nullSenderAndStoredStateAreRestored() throws Exception {
        GatewayMail mail = GatewayMail.fromSpool(stored("", Map.of(PipelineAttributes.STATE, "transport")),
                fx.spool, fx.scratch);
        assertThat(mail.hasSender()).isFalse();
        assertThat(mail.getSender()).isNull();
        assertThat(mail.getState()).isEqualTo("transport");
    }

    @Test
    void duplicateIsIndependentAndFileBacked() throws Exception {
        GatewayMail mail = GatewayMail.fromSpool(stored("alice@example.com", Map.of()), fx.spool, fx.scratch);
        mail.getMessage().setHeader("X-Changed", "before-copy");
        mail.setAttribute("note", "x");
        Mail copy = mail.duplicate();
        copy.getMessage().setHeader("X-Changed", "in-copy");
        copy.setRecipients(List.of(new MailAddress("zed@example.org")));
        assertThat(copy.getName()).isNotEqualTo(mail.getName()).startsWith(mail.getName());
        assertThat(mail.getMessage().getHeader("X-Changed", null)).isEqualTo("before-copy");
        assertThat(copy.getMessage().getHeader("X-Changed", null)).isEqualTo("in-copy");
        assertThat(mail.getRecipients()).hasSize(2);
        assertThat(copy.getAttribute("note")).isEqualTo("x");
        assertThat(Files.list(dir.resolve("scratch")).count()).isEqualTo(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.getMessage().writeTo(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).contains("body line");
        fx.scratch.close();
        assertThat(Files.list(dir.resolve("scratch")).count()).isZero();
    }

    @Test
    void aChangedDuplicateKeepsTheMessageId() throws Exception {
        Envelope envelope = new Envelope("alice@example.com", Map.of(), List.of("bob@example.org"), "192.0.2.7",
                "mx.client.example", null, Instant.parse("2026-01-02T03:04:05Z"), Map.of());
        String text = "Message-ID: <kept.7@client.example>\r\nFrom: alice@example.com\r\nSubject: spooled\r\n\r\nbody\r\n";
        GatewayMail mail = GatewayMail.fromSpool(fx.spool.store(SpoolArea.INCOMING, envelope,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))), fx.spool, fx.scratch);
        Mail copy = mail.duplicate();
        copy.getMessage().setSubject("changed in the copy");
        copy.getMessage().saveChanges();
        assertThat(copy.getMessage().getMessageID()).isEqualTo("<kept.7@client.example>");
        mail.getMessage().setSubject("changed in the original");
        mail.getMessage().saveChanges();
        assertThat(mail.getMessage().getMessageID()).isEqualTo("<kept.7@client.example>");
    }

    @Test
    void localDomainsAndPostmaster() throws Exception {
        MailetContext context = fx.context;
        assertThat(context.isLocalServer(Domain.of("example.com"))).isTrue();
        assertThat(context.isLocalServer(Domain.of("EXAMPLE.COM"))).isTrue();
        assertThat(context.isLocalServer(Domain.of("example.org"))).isFalse();
        assertThat(context.isLocalEmail(new MailAddress("bob@example.com"))).isTrue();
        assertThat(context.isLocalEmail(new MailAddress("bob@example.org"))).isFalse();
        assertThat(context.isLocalUser("bob")).isTrue();
        assertThat(context.isLocalUser("bob@example.org")).isFalse();
        assertThat(context.getPostmaster().asString()).isEqualTo("postmaster@example.com");
        assertThat(context.getMailServers(Domain.of("example.org"))).isEmpty();
        assertThatThrownBy(() -> context.dnsLookup("example.org", MailetContext.RecordType.MX))
                .isInstanceOf(LookupException.class).hasMessageContaining("not supported");
    }

    @Test
    void sendMailStoresDurablyWithStateAndDelay() throws Exception {
        GatewayMail mail = fx.mail("alice@example.com", "bob@example.org");
        mail.setState("transport");
        fx.context.sendMail(mail);
        fx.context.sendMail(mail, "signing", 5, TimeUnit.MINUTES);
        fx.context.sendMail(ContainerFixture.message());
        assertThat(fx.injected).hasSize(3);
        List<SpoolEntry> incoming = fx.spool.list(SpoolArea.INCOMING);
        assertThat(incoming).hasSize(3);
        assertThat(incoming.get(0).envelope().attributes()).containsEntry(PipelineAttributes.STATE, "transport");
        assertThat(incoming.get(1).envelope().attributes()).containsEntry(PipelineAttributes.STATE, "signing")
                .containsKey(PipelineAttributes.NOT_BEFORE);
        assertThat(incoming.get(2).envelope().attributes()).containsEntry(PipelineAttributes.STATE, "root");
        assertThat(incoming.get(2).envelope().sender()).isEqualTo("alice@example.com");
        assertThat(incoming.get(2).envelope().recipients()).containsExactly("bob@example.org");
    }

    /** The policy's state (policy.* String attributes) survives a re-injection, as it survives the error area. */
    @Test
    void sendMailKeepsThePolicyAttributesForTheNextRun() throws Exception {
        GatewayMail mail = fx.mail("alice@example.com", "bob@example.org");
        mail.setAttribute(new org.apache.mailet.Attribute(org.apache.mailet.AttributeName.of("policy.deferredSince"),
                org.apache.mailet.AttributeValue.of("2026-01-02T03:04:05Z")));
        mail.setAttribute(new org.apache.mailet.Attribute(org.apache.mailet.AttributeName.of("other.thing"),
                org.apache.mailet.AttributeValue.of("not kept")));
        fx.context.sendMail(mail, "outbound", 1, TimeUnit.MINUTES);
        SpoolEntry entry = fx.spool.list(SpoolArea.INCOMING).get(0);
        assertThat(entry.envelope().attributes()).containsEntry("policy.deferredSince", "2026-01-02T03:04:05Z")
                .doesNotContainKey("other.thing").containsEntry(PipelineAttributes.STATE, "outbound");
        GatewayMail read = GatewayMail.fromSpool(entry, fx.spool, MailScratch.inTempDirectory());
        assertThat(read.getAttribute(org.apache.mailet.AttributeName.of("policy.deferredSince")))
                .hasValueSatisfying(a -> assertThat(a.getValue().value()).isEqualTo("2026-01-02T03:04:05Z"));
    }

    @Test
    void bounceGoesToTheSuppliedBouncer() throws Exception {
        fx.context.bounce(fx.mail("alice@example.com", "bob@example.org"), "no such user");
        assertThat(fx.bounces).containsExactly("M1: no such user");
    }
}
