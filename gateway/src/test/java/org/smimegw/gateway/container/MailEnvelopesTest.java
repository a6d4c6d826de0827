package org.smimegw.gateway.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/** Every way a mail enters or leaves the spool keeps the envelope's MAIL FROM and RCPT TO parameters. */
class MailEnvelopesTest {
    private static final Map<String, String> MAIL_PARAMETERS =
            Map.of("BODY", "8BITMIME", "SIZE", "300", "AUTH", "alice+40example.com", "RET", "HDRS", "ENVID", "env+2B42");
    private static final Map<String, Map<String, String>> RCPT_PARAMETERS = Map.of(
            "bob+x@example.org", Map.of("NOTIFY", "SUCCESS,DELAY", "ORCPT", "rfc822;bob+2Bx@example.org"),
            "carol@example.com", Map.of("NOTIFY", "NEVER"));

    @TempDir
    Path dir;
    ContainerFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ContainerFixture(dir);
    }

    private GatewayMail fromSpool(Map<String, Map<String, String>> rcptParameters) throws Exception {
        Envelope envelope = new Envelope("alice@example.com", MAIL_PARAMETERS,
                List.of("bob+x@example.org", "carol@example.com", "dave@example.org"), rcptParameters, "192.0.2.7",
                "mx.client.example", "alice", Instant.parse("2026-01-02T03:04:05Z"), Map.of());
        SpoolEntry entry = fx.spool.store(SpoolArea.INCOMING, envelope, new ByteArrayInputStream(
                "Subject: parameters\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
        return GatewayMail.fromSpool(entry, fx.spool, fx.scratch);
    }

    @Test
    void aMailFromTheSpoolCarriesTheDsnParametersInJamesFormAndTheOthersAsAnAttribute() throws Exception {
        GatewayMail mail = fromSpool(RCPT_PARAMETERS);

        DsnParameters dsn = mail.dsnParameters().orElseThrow();
        assertThat(dsn.getEnvIdParameter()).map(DsnParameters.EnvId::asString).contains("env+2B42");
        assertThat(dsn.getRetParameter()).contains(DsnParameters.Ret.HDRS);
        assertThat(dsn.getRcptParameters()).containsOnlyKeys(new MailAddress("bob+x@example.org"),
                new MailAddress("carol@example.com"));
        DsnParameters.RecipientDsnParameters bob = dsn.getRcptParameters().get(new MailAddress("bob+x@example.org"));
        assertThat(bob.getNotifyParameter()).contains(EnumSet.of(Notify.SUCCESS, Notify.DELAY));
        assertThat(bob.getOrcptParameter()).contains(new MailAddress("bob+x@example.org")); // xtext decoded
        assertThat(dsn.getRcptParameters().get(new MailAddress("carol@example.com")).getNotifyParameter())
                .contains(EnumSet.of(Notify.NEVER));
        Object others = mail.getAttribute(MailEnvelopes.MAIL_PARAMETERS).orElseThrow().getValue().value();
        assertThat(others).isEqualTo(Map.of("BODY", AttributeValue.of("8BITMIME"), "SIZE", AttributeValue.of("300"),
                "AUTH", AttributeValue.of("alice+40example.com")));
    }

    @Test
    void theMailsEnvelopeIsTheOneItCameWith() throws Exception {
        GatewayMail mail = fromSpool(RCPT_PARAMETERS);
        Envelope back = MailEnvelopes.of(mail, Instant.parse("2026-01-02T03:04:05Z"), Map.of());
        assertThat(back.mailParameters()).isEqualTo(MAIL_PARAMETERS);
        assertThat(back.recipientParameters()).isEqualTo(RCPT_PARAMETERS);
        assertThat(back.clientHelo()).isEqualTo("mx.client.example");
        assertThat(back.authenticatedUser()).isEqualTo("alice");
        assertThat(back.clientAddress()).isEqualTo("192.0.2.7");

        // a matcher split the recipients: each part keeps its recipients' parameters only
        Mail part = mail.duplicate();
        part.setRecipients(List.of(new MailAddress("bob+x@example.org")));
        assertThat(MailEnvelopes.of(part, Instant.now(), Map.of()).recipientParameters())
                .isEqualTo(Map.of("bob+x@example.org", RCPT_PARAMETERS.get("bob+x@example.org")));
    }

    @Test
    void reinjectionAndTheErrorAreaKeepTheParameters() throws Exception {
        GatewayMail mail = fromSpool(RCPT_PARAMETERS);
        fx.context.sendMail(mail, "transport");
        ToSpoolArea toError = new ToSpoolArea(fx.spool);
        toError.init(FakeMailetConfig.builder().mailetName("ToSpoolArea").mailetContext(fx.context)
                .setProperty("area", "error").build());
        toError.service(mail);

        for (SpoolArea area : List.of(SpoolArea.INCOMING, SpoolArea.ERROR)) {
            Envelope stored = fx.spool.list(area).stream()
                    .filter(e -> !e.envelope().attributes().isEmpty()).findFirst().orElseThrow().envelope();
            assertThat(stored.mailParameters()).as(area.name()).isEqualTo(MAIL_PARAMETERS);
            assertThat(stored.recipientParameters()).as(area.name()).isEqualTo(RCPT_PARAMETERS);
        }
    }

    @Test
    void anOrcptOfAnotherAddressTypeHasNoPlaceInTheMailAndIsLeftOut() throws Exception {
        GatewayMail mail = fromSpool(Map.of("dave@example.org", Map.of("NOTIFY", "FAILURE", "ORCPT", "x400;c=de+3Bo=x")));
        assertThat(MailEnvelopes.of(mail, Instant.now(), Map.of()).recipientParameters())
                .isEqualTo(Map.of("dave@example.org", Map.of("NOTIFY", "FAILURE")));
    }
}
