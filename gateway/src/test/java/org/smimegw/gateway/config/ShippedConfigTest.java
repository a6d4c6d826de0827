package org.smimegw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.app.GatewayApplication;

/** The conf/ a fresh clone runs with must load as it is, give the documented embedded default, and relay. */
class ShippedConfigTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path state;

    @Test
    void shippedGatewayYamlLoads() throws Exception {
        GatewayConfig config = new ConfigLoader().load(REPO.resolve("conf/gateway.yaml"));

        // relative to conf/, the state is var/ at the repository root (README quick start)
        assertThat(config.internalDomains()).containsExactly("example.com");
        assertThat(config.stateDir()).isEqualTo(REPO.resolve("var"));
        assertThat(config.smtp().bind()).isEqualTo("127.0.0.1");
        assertThat(config.smtp().port()).isEqualTo(2525);
        assertThat(config.smtp().relayDomains()).containsExactly("example.com");
        assertThat(config.pipeline().config()).isEqualTo(REPO.resolve("conf/mailetcontainer.xml"));
        assertThat(config.delivery().smarthost()).isNull();
        assertThat(config.admin()).isEqualTo(new AdminConfig(true, "127.0.0.1", 8025, true, "smime-gateway"));
        assertThat(config.embeddedMailbox()).isEqualTo(new EmbeddedMailboxConfig(true, "127.0.0.1", 3025, 3143));
        assertThat(config.certstore().directory()).isEqualTo(REPO.resolve("var/certstore").toString());
        assertThat(config.certstore().keyPassword()).isEqualTo("file:" + REPO.resolve("var/certstore/keystore.pass"));
        assertThat(config.certstore().generatesKeyPassword(config.baseDirectory())).isTrue();
        assertThat(config.baseDirectory()).isEqualTo(REPO.resolve("conf"));
        assertThat(config.policy().file()).isEqualTo(REPO.resolve("conf/policy.yaml"));
    }

    @Test
    void shippedConfigurationRelaysToTheEmbeddedMailbox() throws Exception {
        // the shipped conf/ in a scratch directory, so that the run writes nothing into the repository
        java.nio.file.Files.createDirectories(state.resolve("conf"));
        for (String name : new String[] {"gateway.yaml", "mailetcontainer.xml", "policy.yaml"}) {
            java.nio.file.Files.copy(REPO.resolve("conf").resolve(name), state.resolve("conf").resolve(name));
        }
        GatewayConfig config = new ConfigLoader().load(state.resolve("conf/gateway.yaml"))
                .withEphemeralPorts(state.resolve("var"));
        try (GatewayApplication app = new GatewayApplication(config)) {
            app.start();
            assertThat(app.policy().current().file()).isEqualTo(state.resolve("conf/policy.yaml").toString());
            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", String.valueOf(app.smtpAddress().getPort()));
            MimeMessage message = new MimeMessage(Session.getInstance(props));
            message.setFrom("bob@example.net");
            message.setRecipients(Message.RecipientType.TO, "alice@example.com");
            message.setSubject("shipped conf");
            message.setText("hello");
            Transport.send(message);

            var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
            assertThat(greenMail.waitForIncomingEmail(60_000, 1)).isTrue();
            MimeMessage received = greenMail.getReceivedMessages()[0];
            assertThat(received.getSubject()).isEqualTo("shipped conf");
            assertThat(received.getHeader("X-SMIME-Gateway")).containsExactly("processed");
            assertThat(state.resolve("var/certstore/trust/roots")).isDirectory();
        }
    }
}
