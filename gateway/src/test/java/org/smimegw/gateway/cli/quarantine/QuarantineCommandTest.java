package org.smimegw.gateway.cli.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.cli.ExitCodes;
import org.smimegw.gateway.cli.Main;
import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/** {@code quarantine list | show | release | delete} on a real spool directory. */
class QuarantineCommandTest {
    @TempDir
    Path dir;
    private Path config;
    private FileSpool spool;
    private SpoolEntry policyHeld;
    private SpoolEntry errorHeld;

    record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void spoolWithTwoQuarantinedMails() throws Exception {
        Path state = dir.resolve("state");
        config = dir.resolve("gateway.yaml");
        Files.writeString(dir.resolve("mailetcontainer.xml"), "<mailetcontainer/>");
        Files.writeString(config, "stateDir: " + state + "\npipeline: {config: " + dir.resolve("mailetcontainer.xml")
                + "}\n");
        spool = new FileSpool(state.resolve("spool"), Clock.systemUTC(), new MetricRegistry());
        policyHeld = store(new Envelope("mallory@example.net", Map.of(), List.of("legal@example.com"), "192.0.2.7",
                "mx.example.net", null, Instant.parse("2026-11-28T09:15:00Z"),
                Map.of(org.smimegw.gateway.admin.SpoolAdmin.QUARANTINE_REASON, "signed mail required for legal@example.com but the message "
                        + "is not signed", PipelineAttributes.STATE, "inbound")), "unsigned contract");
        errorHeld = store(new Envelope("", Map.of(), List.of("a@example.com", "b@example.com"), "127.0.0.1", "local",
                "relay-user", Instant.parse("2026-11-28T09:20:00Z"),
                Map.of(PipelineAttributes.LAST_ERROR, "no certificate")), "bounce");
    }

    private SpoolEntry store(Envelope envelope, String subject) throws Exception {
        String message = "From: sender@example.net\r\nTo: someone@example.com\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.hashCode() + "@example.net>\r\n\r\nthe secret body of " + subject
                + "\r\n";
        return spool.store(SpoolArea.QUARANTINE, envelope,
                new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void listShowsIdReceivedSenderRecipientsAndReason() {
        Result result = run("quarantine", "list", "--config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).containsSubsequence("ID", "RECEIVED", "SENDER", "RECIPIENTS", "REASON");
        assertThat(lines).anySatisfy(line -> assertThat(line).containsSubsequence(policyHeld.id(),
                "2026-11-28 09:15:00Z", "mallory@example.net", "legal@example.com",
                "signed mail required for legal@example.com but the message is not signed"));
        assertThat(lines).anySatisfy(line -> assertThat(line).containsSubsequence(errorHeld.id(),
                "2026-11-28 09:20:00Z", "<>", "a@example.com,b@example.com", "no certificate"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("2 quarantined message(s)");
    }

    @Test
    void showPrintsEnvelopeAndHeadersButTheBodyOnlyWithTheOption() {
        Result result = run("quarantine", "show", policyHeld.id(), "--config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("id:          " + policyHeld.id())
                .contains("sender:      mallory@example.net")
                .contains("recipients:  legal@example.com")
                .contains("client:      192.0.2.7 (HELO mx.example.net)")
                .contains("reason:      signed mail required for legal@example.com")
                .contains("Subject: unsigned contract")
                .contains("(body not shown; use --body)")
                .doesNotContain("the secret body");

        Result withBody = run("quarantine", "show", policyHeld.id(), "--body", "--config", config.toString());
        assertThat(withBody.out()).contains("Subject: unsigned contract").contains("the secret body of unsigned "
                + "contract");
    }

    @Test
    void releaseMovesTheMailBackToIncomingMarkedReleasedToStartAgainInRoot() throws Exception {
        Result result = run("quarantine", "release", policyHeld.id(), "--reason", "partner  confirmed\n by phone",
                "--config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("released " + policyHeld.id());
        assertThat(spool.find(SpoolArea.QUARANTINE, policyHeld.id())).isEmpty();
        SpoolEntry incoming = spool.find(SpoolArea.INCOMING, policyHeld.id()).orElseThrow();
        assertThat(incoming.envelope().attributes()).containsEntry(org.smimegw.gateway.admin.SpoolAdmin.RELEASED, "true")
                .containsKey(org.smimegw.gateway.admin.SpoolAdmin.RELEASED_AT)
                .containsEntry(org.smimegw.gateway.admin.SpoolAdmin.RELEASE_REASON, "partner confirmed by phone")
                .doesNotContainKeys(PipelineAttributes.STATE, org.smimegw.gateway.admin.SpoolAdmin.QUARANTINE_REASON);
        assertThat(incoming.envelope().recipients()).containsExactly("legal@example.com");
        assertThat(Files.readString(incoming.contentFile())).contains("Subject: unsigned contract");
        assertThat(run("quarantine", "list", "--config", config.toString()).out())
                .doesNotContain(policyHeld.id()).contains("1 quarantined message(s)");
    }

    @Test
    void deleteRemovesTheMail() throws Exception {
        Result result = run("quarantine", "delete", errorHeld.id(), "--config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo("deleted " + errorHeld.id());
        assertThat(spool.find(SpoolArea.QUARANTINE, errorHeld.id())).isEmpty();
        assertThat(spool.find(SpoolArea.INCOMING, errorHeld.id())).isEmpty();
        assertThat(spool.find(SpoolArea.QUARANTINE, policyHeld.id())).isPresent();
    }

    @Test
    void anUnknownIdIsOneLineAndExitCodeOne() {
        for (String command : List.of("show", "release", "delete")) {
            Result result = run("quarantine", command, "01NOSUCHID", "--config", config.toString());
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err().strip()).isEqualTo(command + ": no quarantined message with id '01NOSUCHID'");
        }
    }

    @Test
    void aMissingSpoolIsOneLineAndExitCodeFour() throws Exception {
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, "stateDir: nothing-here\npipeline: {config: mailetcontainer.xml}\n");
        Result result = run("quarantine", "list", "--config", other.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.NO_STATE);
        assertThat(result.err().strip()).isEqualTo("list: no spool at " + dir.resolve("nothing-here/spool")
                + " (stateDir of " + other + "); the gateway creates it when it starts");
        assertThat(Files.exists(dir.resolve("nothing-here"))).isFalse();
    }

    @Test
    void anEmptyQuarantineSaysSo() throws Exception {
        spool.delete(policyHeld);
        spool.delete(errorHeld);
        assertThat(run("quarantine", "list", "--config", config.toString()).out().strip())
                .isEqualTo("quarantine is empty");
    }
}
