package org.smimegw.gateway.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.container.MailEnvelopes;
import org.smimegw.gateway.delivery.DeliveryService;
import org.smimegw.gateway.delivery.SpoolDeliveryQueue;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

class RemoteDeliveryTest {
    @TempDir
    Path dir;

    @Test
    void queuesTheRemainingRecipientsWithTheEnvelopeAndGhostsTheMail() throws Exception {
        var spool = new org.smimegw.gateway.spool.FileSpool(dir, java.time.Clock.systemUTC(), new com.codahale.metrics.MetricRegistry());
        List<SpoolEntry> woken = new ArrayList<>();
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
        RemoteDelivery mailet = new RemoteDelivery(new SpoolDeliveryQueue(spool, clock, woken::add));
        Mail mail = FakeMail.builder().name("m1").sender("alice@example.com")
                .recipients("bob@remote.test", "carol@remote.test").mimeMessage(message())
                .remoteAddr("192.0.2.9").remoteHost("client.example.com")
                .attribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of("alice")))
                .attribute(new Attribute(MailEnvelopes.MAIL_PARAMETERS,
                        AttributeValue.of(Map.<String, AttributeValue<?>>of("BODY", AttributeValue.of("8BITMIME")))))
                .build();
        mail.setDsnParameters(DsnParameters.builder().envId(DsnParameters.EnvId.of("abc-1"))
                .ret(DsnParameters.Ret.HDRS)
                .addRcptParameter(new MailAddress("bob@remote.test"), DsnParameters.RecipientDsnParameters.of(
                        EnumSet.of(DsnParameters.Notify.SUCCESS, DsnParameters.Notify.FAILURE),
                        new MailAddress("bob+x@remote.test")))
                .build().orElseThrow());

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        List<SpoolEntry> outgoing = spool.list(SpoolArea.OUTGOING);
        assertThat(outgoing).hasSize(1);
        assertThat(woken).containsExactlyElementsOf(outgoing);
        Envelope envelope = outgoing.get(0).envelope();
        assertThat(envelope.sender()).isEqualTo("alice@example.com");
        assertThat(envelope.recipients()).containsExactly("bob@remote.test", "carol@remote.test");
        assertThat(envelope.clientAddress()).isEqualTo("192.0.2.9");
        assertThat(envelope.authenticatedUser()).isEqualTo("alice");
        assertThat(envelope.mailParameters()).isEqualTo(Map.of("BODY", "8BITMIME", "ENVID", "abc-1", "RET", "HDRS"));
        assertThat(envelope.recipientParameters()).isEqualTo(Map.of("bob@remote.test",
                Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;bob+2Bx@remote.test")));
        assertThat(envelope.attributes()).containsEntry(DeliveryService.ATTR_QUEUED_AT, "2026-03-04T05:06:07Z");
        assertThat(spool.open(outgoing.get(0)).getSubject()).isEqualTo("queued");
    }

    @Test
    void aMailWithoutRecipientsIsGhostedWithoutQueueing() throws Exception {
        List<Mail> queued = new ArrayList<>();
        RemoteDelivery mailet = new RemoteDelivery(queued::add);
        Mail mail = FakeMail.builder().name("m2").sender("alice@example.com").recipients().mimeMessage(message())
                .build();
        mailet.service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(queued).isEmpty();
    }

    @Test
    void aSpoolFailureIsAMailetExceptionAndTheMailIsNotGhosted() throws Exception {
        RemoteDelivery mailet = new RemoteDelivery(m -> {
            throw new SpoolException("disk full", null);
        });
        Mail mail = FakeMail.builder().name("m3").sender("alice@example.com").recipients("bob@remote.test")
                .mimeMessage(message()).state("transport").build();
        assertThatThrownBy(() -> mailet.service(mail)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("disk full");
        assertThat(mail.getState()).isEqualTo("transport");
    }

    private static MimeMessage message() throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                "From: alice@example.com\r\nTo: bob@remote.test\r\nSubject: queued\r\n\r\nHi\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
    }
}
