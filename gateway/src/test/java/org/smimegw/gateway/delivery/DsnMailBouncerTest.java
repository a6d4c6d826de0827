package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import com.codahale.metrics.MetricRegistry;
import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/** A mailet's bounce and a policy refusal obey the mail's DSN parameters like delivery's reports do. */
class DsnMailBouncerTest {
    @TempDir
    Path dir;

    @Test
    void aBounceNamesOnlyTheRecipientsThatWantFailureReportsAndCarriesTheEnvelopeId() throws Exception {
        FileSpool spool = new FileSpool(dir, Clock.systemUTC(), new MetricRegistry());
        List<SpoolEntry> injected = new ArrayList<>();
        DsnMailBouncer bouncer = new DsnMailBouncer(spool, new DsnFactory(Clock.systemUTC()), "gw.test",
                Clock.systemUTC(), injected::add);
        Mail mail = FakeMail.builder().name("m1").sender("alice@example.com")
                .recipients("never@remote.test", "default@remote.test", "orcpt@remote.test")
                .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                        "Subject: refused\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))))
                .build();
        mail.setDsnParameters(DsnParameters.builder().envId(DsnParameters.EnvId.of("bounce-7"))
                .addRcptParameter(new MailAddress("never@remote.test"),
                        DsnParameters.RecipientDsnParameters.of(EnumSet.of(DsnParameters.Notify.NEVER)))
                .addRcptParameter(new MailAddress("orcpt@remote.test"),
                        DsnParameters.RecipientDsnParameters.of(new MailAddress("first@remote.test")))
                .build().orElseThrow());

        bouncer.bounce(mail, "550 refused by a mailet", null);

        assertThat(injected).hasSize(1).isEqualTo(spool.list(SpoolArea.INCOMING));
        assertThat(injected.get(0).envelope().hasNullSender()).isTrue();
        String status = DeliveryTests.partText(spool.open(injected.get(0)), 1);
        assertThat(status).contains("Original-Envelope-Id: bounce-7\r\n")
                .contains("Final-Recipient: rfc822; default@remote.test\r\n")
                .contains("Original-Recipient: rfc822;first@remote.test\r\nFinal-Recipient: rfc822; orcpt@remote.test")
                .doesNotContain("never@");

        // nobody left to tell: no report at all
        bouncer.report(mail, List.of(new MailAddress("never@remote.test")), "5.7.1", "refused by policy",
                "policy DSN");
        assertThat(injected).hasSize(1);
    }
}
