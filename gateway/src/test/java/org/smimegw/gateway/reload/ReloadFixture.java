package org.smimegw.gateway.reload;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.smimegw.gateway.app.TestGatewayConfig;
import org.smimegw.gateway.config.GatewayConfig;

/** Files, config and SMTP/HTTP helpers for the reload and quarantine tests. */
final class ReloadFixture {
    static final Duration WAIT = Duration.ofSeconds(90);

    static final String POLICY_ONE_USER = """
            users:
              finance@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
            """;
    static final String POLICY_TWO_USERS = POLICY_ONE_USER + """
              legal@example.com:
                Receiving:
                  RequireSignedSMIMEMessages: true
            """;
    /** Line 3 names an unknown setting. */
    static final String POLICY_INVALID = """
            users:
              finance@example.com:
                RequireSignedSmimeMessages: true
            """;

    /** A pipeline that stamps the version and the policy in force on each message, then delivers it. */
    static String pipeline(String version, String extraRootMailets) {
        return """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                """ + extraRootMailets + """
                      <mailet match="All" class="SetMimeHeader"><name>X-Pipeline-Version</name><value>%s</value></mailet>
                      <mailet match="All" class="org.smimegw.gateway.reload.PolicyStampMailet"/>
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
                """.formatted(version);
    }

    /** Line 5 names a mailet class that does not exist. */
    static final String PIPELINE_INVALID = """
            <mailetcontainer>
              <processors>
                <processor state="root">
                  <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                  <mailet match="All" class="NoSuchMailetAnywhere"/>
                </processor>
              </processors>
            </mailetcontainer>
            """;

    static GatewayConfig config(Path dir, String pipelineXml, String policyYaml) throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), policyYaml);
        return TestGatewayConfig.load(dir, pipelineXml, """
                embeddedMailbox:
                  enabled: true
                  smtpPort: 0
                  imapPort: 0
                policy:
                  file: policy.yaml
                """);
    }

    static HttpResponse<String> postReload(InetSocketAddress admin) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void send(InetSocketAddress server, String from, String to, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", server.getHostString());
        props.put("mail.smtp.port", String.valueOf(server.getPort()));
        props.put("mail.smtp.connectiontimeout", "60000");
        props.put("mail.smtp.timeout", "120000");
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject);
        message.setText("body of " + subject + "\r\n");
        Transport.send(message);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private ReloadFixture() {
    }
}
