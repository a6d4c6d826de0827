package org.smimegw.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_INVALID;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_ONE_USER;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_TWO_USERS;
import static org.smimegw.gateway.reload.ReloadFixture.PIPELINE_INVALID;
import static org.smimegw.gateway.reload.ReloadFixture.await;
import static org.smimegw.gateway.reload.ReloadFixture.config;
import static org.smimegw.gateway.reload.ReloadFixture.pipeline;
import static org.smimegw.gateway.reload.ReloadFixture.postReload;
import static org.smimegw.gateway.reload.ReloadFixture.send;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.app.StartupException;
import org.smimegw.gateway.cli.Main;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.mailets.policy.PolicySet;

/** Live reload of policy.yaml and mailetcontainer.xml through the admin endpoint and the reload command. */
class GatewayReloadTest {
    @TempDir
    Path dir;
    private GatewayApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private GreenMail start(String pipelineXml, String policyYaml) throws Exception {
        app = new GatewayApplication(config(dir, pipelineXml, policyYaml));
        app.start();
        return app.embeddedMailbox().orElseThrow().greenMail();
    }

    private static MimeMessage received(GreenMail greenMail, String subject) throws InterruptedException {
        await("message " + subject, () -> find(greenMail, subject) != null);
        return find(greenMail, subject);
    }

    private static MimeMessage find(GreenMail greenMail, String subject) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (MessagingException e) {
                return false;
            }
        }).findFirst().orElse(null);
    }

    private static String header(MimeMessage message, String name) throws MessagingException {
        String[] values = message.getHeader(name);
        return values == null ? null : values[0];
    }

    @Test
    void aValidPolicyAndPipelineAreSwappedInTogetherAndTheNextMailUsesThem() throws Exception {
        GreenMail greenMail = start(pipeline("1", ""), POLICY_ONE_USER);
        assertThat(app.policy().current().userEntries()).isEqualTo(1);
        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "before");
        MimeMessage before = received(greenMail, "before");
        assertThat(header(before, "X-Pipeline-Version")).isEqualTo("1");
        assertThat(header(before, "X-Policy-Users")).isEqualTo("1");

        Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline("2", ""));
        Files.writeString(dir.resolve("policy.yaml"), POLICY_TWO_USERS);
        HttpResponse<String> response = postReload(app.adminAddress().orElseThrow());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("policy.yaml (0 domain(s), 2 user(s))").contains("mailetcontainer.xml");
        assertThat(app.policy().current().userEntries()).isEqualTo(2);
        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "after");
        MimeMessage after = received(greenMail, "after");
        assertThat(header(after, "X-Pipeline-Version")).isEqualTo("2");
        assertThat(header(after, "X-Policy-Users")).isEqualTo("2");
        assertThat(app.metrics().counter("reload.success").getCount()).isEqualTo(1);
        assertThat(app.metrics().counter("reload.failure").getCount()).isZero();
    }

    @Test
    void anInvalidPolicyIsRefusedWithFileAndLineAndNothingOfTheReloadTakesEffect() throws Exception {
        GreenMail greenMail = start(pipeline("1", ""), POLICY_ONE_USER);
        PolicySet running = app.policy().current();

        Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline("2", "")); // valid, but goes with the policy
        Files.writeString(dir.resolve("policy.yaml"), POLICY_INVALID);
        HttpResponse<String> response = postReload(app.adminAddress().orElseThrow());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains(dir.resolve("policy.yaml") + ":3: ")
                .contains("RequireSignedSmimeMessages");
        assertThat(app.policy().current()).isSameAs(running);
        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "still v1");
        assertThat(header(received(greenMail, "still v1"), "X-Pipeline-Version")).isEqualTo("1");
        assertThat(app.metrics().counter("reload.failure").getCount()).isEqualTo(1);
        assertThat(app.metrics().counter("reload.success").getCount()).isZero();
    }

    @Test
    void aPolicyFileThatIsGoneIsRefusedWithTheFileAndNoLineInTheReplyAndTheLog() throws Exception {
        start(pipeline("1", ""), POLICY_ONE_USER);
        Path policyFile = dir.resolve("policy.yaml");
        Files.delete(policyFile);
        String expected = policyFile + ": cannot read policy file: java.nio.file.NoSuchFileException: " + policyFile;

        ch.qos.logback.classic.Logger reloader = (ch.qos.logback.classic.Logger) LoggerFactory
                .getLogger(GatewayReloader.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        reloader.addAppender(log);
        HttpResponse<String> response;
        try {
            response = postReload(app.adminAddress().orElseThrow());
        } finally {
            reloader.detachAppender(log);
        }

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(new ObjectMapper().readTree(response.body()).get("message").asText()).isEqualTo(expected);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("reload refused, the running configuration stays: " + expected);
    }

    @Test
    void aMissingPolicyFileStopsTheStartWithTheFileAndNoLine() throws Exception {
        GatewayConfig config = config(dir, pipeline("1", ""), POLICY_ONE_USER);
        Path policyFile = dir.resolve("policy.yaml");
        Files.delete(policyFile);
        app = new GatewayApplication(config);

        assertThatThrownBy(app::start).isInstanceOf(StartupException.class)
                .hasMessage("policy: " + policyFile + ": cannot read policy file: java.nio.file.NoSuchFileException: "
                        + policyFile);
    }

    @Test
    void anInvalidPipelineIsRefusedWithFileAndLineThroughTheReloadCommand() throws Exception {
        GreenMail greenMail = start(pipeline("1", ""), POLICY_ONE_USER);
        Files.writeString(dir.resolve("mailetcontainer.xml"), PIPELINE_INVALID);
        Files.writeString(dir.resolve("policy.yaml"), POLICY_TWO_USERS);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"reload", "--admin",
                "http://127.0.0.1:" + app.adminAddress().orElseThrow().getPort()},
                new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(org.smimegw.gateway.cli.ExitCodes.CONFIG);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .contains("reload refused: " + dir.resolve("mailetcontainer.xml") + ":5: ")
                .contains("NoSuchMailetAnywhere");
        assertThat(app.policy().current().userEntries()).isEqualTo(1);
        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "v1 stays");
        assertThat(header(received(greenMail, "v1 stays"), "X-Pipeline-Version")).isEqualTo("1");

        // fixed: the same command reloads
        Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline("3", ""));
        out = new StringWriter();
        code = Main.execute(new String[] {"reload", "--admin",
                "http://127.0.0.1:" + app.adminAddress().orElseThrow().getPort()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("reloaded: policy ").contains("2 user(s)");
        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "v3");
        assertThat(header(received(greenMail, "v3"), "X-Pipeline-Version")).isEqualTo("3");
    }

    @Test
    void theReplacedContainerIsDestroyedOnlyAfterTheMailInFlightOnItFinished() throws Exception {
        Gate gate = new Gate();
        app = new GatewayApplication(config(dir,
                pipeline("1", "<mailet match=\"All\" class=\"org.smimegw.gateway.reload.GateMailet\"/>\n"),
                POLICY_ONE_USER));
        app.addService(Gate.class, gate);
        app.start();
        GreenMail greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "held");
        await("the mail at the gate", () -> gate.entered.getCount() == 0);

        Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline("2", ""));
        assertThat(postReload(app.adminAddress().orElseThrow()).statusCode()).isEqualTo(200);
        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "new");
        assertThat(header(received(greenMail, "new"), "X-Pipeline-Version")).isEqualTo("2");
        assertThat(gate.destroyed).as("destroyed under a running mail").hasValue(0);
        assertThat(find(greenMail, "held")).isNull();

        gate.open.countDown();
        assertThat(header(received(greenMail, "held"), "X-Pipeline-Version")).isEqualTo("1");
        await("destroy of the old container", () -> gate.destroyed.get() == 1);
    }

    @Test
    void anInvalidPolicyFileStopsTheStartWithFileLineAndReason() throws Exception {
        app = new GatewayApplication(config(dir, pipeline("1", ""), POLICY_INVALID));
        try {
            app.start();
            throw new AssertionError("started with an invalid policy");
        } catch (StartupException e) {
            assertThat(e.getMessage()).startsWith("policy: " + dir.resolve("policy.yaml") + ":3: ");
        }
        assertThat(app.isRunning()).isFalse();
    }

    @Test
    void aMailetRemovedByAReloadLeavesNoSeriesOnMetrics() throws Exception {
        app = new GatewayApplication(config(dir, pipeline("1",
                "<mailet match=\"All\" class=\"org.smimegw.gateway.container.RecordMailet\"><tag>old</tag></mailet>"),
                POLICY_ONE_USER));
        app.addService(org.smimegw.gateway.container.Recorder.class, new org.smimegw.gateway.container.Recorder());
        app.start();
        assertThat(scrape()).contains("mailet_duration_seconds_count{mailet=\"RecordMailet\",processor=\"root\"}")
                .contains("mailet_duration_seconds_count{mailet=\"SetMimeHeader\",processor=\"root\"}");

        Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline("2", ""));
        assertThat(postReload(app.adminAddress().orElseThrow()).statusCode()).isEqualTo(200);

        assertThat(scrape()).doesNotContain("mailet=\"RecordMailet\"")
                .contains("mailet_duration_seconds_count{mailet=\"SetMimeHeader\",processor=\"root\"}");
        assertThat(app.metrics().getNames()).noneMatch(n -> n.contains("RecordMailet"));

        // a refused pipeline adds no series either
        Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline("3",
                "<mailet match=\"All\" class=\"org.smimegw.gateway.container.RecordMailet\"><tag>new</tag></mailet>"
                        + "<mailet match=\"All\" class=\"NoSuchMailetAnywhere\"/>"));
        assertThat(postReload(app.adminAddress().orElseThrow()).statusCode()).isEqualTo(500);
        assertThat(scrape()).doesNotContain("mailet=\"RecordMailet\"");
    }

    private String scrape() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + app.adminAddress().orElseThrow().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
