package org.smimegw.gateway.cli.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.cli.Main;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * A running gateway quarantines a mail (with its reason); {@code quarantine list} beside it shows it, and
 * {@code quarantine release} makes the running gateway run it again: the inbound check honours the release marker
 * and the mail is delivered once.
 */
class QuarantineReleaseEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("%s: %s", String.join(" ", args), err).isZero();
        return out.toString().lines().toArray(String[]::new);
    }

    @Test
    void aReleasedMailIsRunAgainByTheRunningGatewayAndDelivered() throws Exception {
        Files.writeString(dir.resolve("mailetcontainer.xml"), """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="RecipientIs=legal@example.com"
                              class="org.smimegw.gateway.cli.quarantine.QuarantineUnlessReleased"/>
                      <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                    </processor>
                    <processor state="quarantine">
                      <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>quarantine</area></mailet>
                    </processor>
                    <processor state="transport">
                      <mailet match="All" class="RemoteDelivery"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>
                    </processor>
                  </processors>
                </mailetcontainer>
                """);
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, """
                hostname: gw.test
                internalDomains: [example.com]
                stateDir: %s
                smtp: {port: 0, mynetworks: [127.0.0.0/8]}
                pipeline: {config: %s, retryDelaySeconds: 1}
                admin: {port: 0, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                """.formatted(dir.resolve("var"), dir.resolve("mailetcontainer.xml")));
        try (GatewayApplication app = new GatewayApplication(new ConfigLoader().load(yaml))) {
            app.start();
            GreenMail greenMail = app.embeddedMailbox().orElseThrow().greenMail();
            send(app, "legal@example.com", "contract");
            await("the mail in quarantine", () -> quarantined(app).size() == 1);
            String id = quarantined(app).get(0).id();

            String[] list = cli("quarantine", "list", "--config", yaml.toString());
            assertThat(list[1]).startsWith(id).contains("partner@example.net").contains("legal@example.com")
                    .contains(QuarantineUnlessReleased.REASON);
            assertThat(greenMail.getReceivedMessages()).isEmpty();

            assertThat(cli("quarantine", "release", id, "--config", yaml.toString())[0]).startsWith("released " + id);

            await("delivery of the released mail", () -> greenMail.getReceivedMessages().length == 1);
            MimeMessage delivered = greenMail.getReceivedMessages()[0];
            assertThat(delivered.getSubject()).isEqualTo("contract");
            await("an empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));
            assertThat(quarantined(app)).isEmpty();
            assertThat(Arrays.stream(greenMail.getReceivedMessages()).map(QuarantineReleaseEndToEndTest::subject))
                    .containsExactly("contract");
        }
    }

    @Test
    void theRealInboundPolicyCheckQuarantinesAndLetsTheReleasedMailPass() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), """
                users:
                  legal@example.com:
                    Receiving:
                      RequireSignedSMIMEMessages: true
                      InboundViolationAction: Quarantine
                """);
        Files.writeString(dir.resolve("mailetcontainer.xml"), """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="SMIMEVerify"><harvest>false</harvest></mailet>
                      <mailet match="All" class="EnforceInboundPolicy" onMailetException="propagate"/>
                      <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                    </processor>
                    <processor state="transport">
                      <mailet match="All" class="RemoteDelivery"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>
                    </processor>
                  </processors>
                </mailetcontainer>
                """);
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, """
                hostname: gw.test
                internalDomains: [example.com]
                stateDir: %s
                smtp: {port: 0, mynetworks: [127.0.0.0/8]}
                pipeline: {config: %s, retryDelaySeconds: 1}
                admin: {port: 0, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                certstore: {directory: %s, keyPassword: "file:%s"}
                policy: {file: %s}
                """.formatted(dir.resolve("var"), dir.resolve("mailetcontainer.xml"), dir.resolve("certs"),
                dir.resolve("key-password"), dir.resolve("policy.yaml")));
        try (GatewayApplication app = new GatewayApplication(new ConfigLoader().load(yaml))) {
            app.start();
            GreenMail greenMail = app.embeddedMailbox().orElseThrow().greenMail();
            send(app, "legal@example.com", "unsigned contract");
            await("the mail in quarantine", () -> quarantined(app).size() == 1);
            String id = quarantined(app).get(0).id();
            String[] list = cli("quarantine", "list", "--config", yaml.toString());
            assertThat(list[1]).startsWith(id).contains("legal@example.com").contains("not signed");

            cli("quarantine", "release", id, "--config", yaml.toString());

            await("delivery of the released mail", () -> greenMail.getReceivedMessages().length == 1);
            assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("unsigned contract");
            await("an empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));
            assertThat(quarantined(app)).isEmpty();
            assertThat(greenMail.getReceivedMessages()).hasSize(1);
        }
    }

    private static List<SpoolEntry> quarantined(GatewayApplication app) {
        try {
            return app.spool().list(SpoolArea.QUARANTINE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            return null;
        }
    }

    private static void send(GatewayApplication app, String to, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(app.smtpAddress().getPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom("partner@example.net");
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject);
        message.setText("please sign\r\n");
        Transport.send(message);
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
