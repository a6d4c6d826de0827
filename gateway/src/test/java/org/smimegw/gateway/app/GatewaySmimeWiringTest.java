package org.smimegw.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;

/**
 * The gateway offers the certificate store named by {@code certstore:} and a validator to mailets' {@code @Inject}
 * constructors: an S/MIME mailet configured by short name signs with a key imported into that store.
 */
class GatewaySmimeWiringTest {
    @TempDir
    Path dir;

    @Test
    void smimeSignUsesTheConfiguredCertificateStore() throws Exception {
        TestPki pki = TestPki.create("Wiring");
        var alice = pki.issue("alice@example.com");
        FileCertificateStore store = new FileCertificateStore(dir.resolve("certs"),
                new KeyPasswordSource("file:" + dir.resolve("key-password"), System::getenv, true, dir));
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());

        Files.writeString(dir.resolve("mailetcontainer.xml"), """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="SenderHasSigningKey" class="SMIMESign"><digest>SHA-256</digest></mailet>
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
                smtp: {port: 0}
                pipeline: {config: mailetcontainer.xml}
                admin: {enabled: false, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                certstore:
                  directory: certs
                  keyPassword: file:key-password
                  revocation: {mode: OFF}
                """);
        GatewayConfig config = new ConfigLoader().load(yaml);
        try (GatewayApplication app = new GatewayApplication(config)) {
            app.start();
            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", String.valueOf(app.smtpAddress().getPort()));
            MimeMessage message = new MimeMessage(Session.getInstance(props));
            message.setFrom("alice@example.com");
            message.setRecipients(Message.RecipientType.TO, "bob@example.net");
            message.setSubject("signed by the gateway");
            message.setText("hello bob");
            Transport.send(message);

            var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
            assertThat(greenMail.waitForIncomingEmail(60_000, 1)).isTrue();
            MimeMessage received = greenMail.getReceivedMessages()[0];
            assertThat(received.getContentType()).startsWith("multipart/signed")
                    .contains("application/pkcs7-signature");
            assertThat(received.getSubject()).isEqualTo("signed by the gateway");
        }
    }
}
