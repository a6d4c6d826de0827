package org.smimegw.gateway.cli.spool;

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

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.Main;
import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.delivery.DeliveryService;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/** {@code spool list | show | requeue | bounce | delete} on a real spool with an entry in every area, one of them corrupt. */
class SpoolCommandTest {
    @TempDir
    Path dir;
    private Path config;
    private Path root;
    private FileSpool spool;
    private SpoolEntry incoming;
    private SpoolEntry outgoing;
    private SpoolEntry failed;
    private SpoolEntry quarantined;
    private String corrupt;

    record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withConfig = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--config", config.toString())).toArray(String[]::new);
        int code = Main.execute(withConfig, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private SpoolEntry store(SpoolArea area, String sender, Map<String, String> attributes, String subject)
            throws Exception {
        Envelope envelope = new Envelope(sender, Map.of(), List.of("rcpt@example.com"), "192.0.2.7", "mx.example.net",
                null, Instant.parse("2026-11-28T09:15:00Z"), attributes);
        String message = "From: " + sender + "\r\nSubject: " + subject + "\r\n\r\nthe body of " + subject + "\r\n";
        return spool.store(area, envelope, new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
    }

    @BeforeEach
    void anEntryInEveryArea() throws Exception {
        Path state = dir.resolve("state");
        root = state.resolve("spool");
        config = dir.resolve("gateway.yaml");
        Files.writeString(dir.resolve("mailetcontainer.xml"), "<mailetcontainer/>");
        Files.writeString(config, "stateDir: " + state + "\npipeline: {config: " + dir.resolve("mailetcontainer.xml")
                + "}\n");
        spool = new FileSpool(root, Clock.systemUTC(), new MetricRegistry());
        incoming = store(SpoolArea.INCOMING, "in@example.net", Map.of(PipelineAttributes.FAILURES, "2",
                PipelineAttributes.LAST_ERROR, "directory down"), "waiting");
        outgoing = store(SpoolArea.OUTGOING, "out@example.com", Map.of(DeliveryService.ATTR_ATTEMPTS, "3",
                DeliveryService.ATTR_LAST_ERROR, "4.4.1 connection refused"), "deferred");
        failed = store(SpoolArea.ERROR, "err@example.net", Map.of(PipelineAttributes.FAILURES, "5",
                PipelineAttributes.STATE, "outbound", PipelineAttributes.LAST_ERROR, "No space left on device"), "failed");
        quarantined = store(SpoolArea.QUARANTINE, "q@example.net", Map.of(SpoolAdmin.QUARANTINE_REASON,
                "signature required"), "held");
        SpoolEntry broken = store(SpoolArea.INCOMING, "broken@example.net", Map.of(), "broken");
        Files.writeString(root.resolve("incoming").resolve(broken.id() + ".env"), "{\"sender\": ");
        spool.list(SpoolArea.INCOMING); // the gateway's scan moves it aside
        corrupt = broken.id();
    }

    @Test
    void listShowsEveryAreaWithTheReasonEachEntryIsThere() {
        Result result = run("spool", "list");
        assertThat(result.code()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).containsSubsequence("AREA", "ID", "RECEIVED", "SENDER", "RECIPIENTS", "REASON");
        assertThat(lines).anySatisfy(l -> assertThat(l).containsSubsequence("incoming", incoming.id(),
                "in@example.net", "directory down"));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsSubsequence("outgoing", outgoing.id(),
                "4.4.1 connection refused"));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsSubsequence("error", failed.id(),
                "No space left on device"));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsSubsequence("quarantine", quarantined.id(),
                "signature required"));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsSubsequence("corrupt", corrupt,
                "(envelope unreadable)", "moved from incoming: envelope does not parse"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("5 entries");

        Result onlyError = run("spool", "list", "error");
        assertThat(onlyError.out()).contains(failed.id()).doesNotContain(incoming.id()).endsWith("1 entry\n");
        assertThat(run("spool", "list", "nowhere").err().strip())
                .isEqualTo("list: unknown spool area 'nowhere' (incoming, outgoing, error, quarantine, corrupt)");
    }

    @Test
    void showFindsTheEntryInAnyAreaAndPrintsTheBodyOnlyWithTheOption() {
        Result shown = run("spool", "show", failed.id());
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("area:        error").contains("reason:      No space left on device")
                .contains("Subject: failed").contains("(body not shown; use --body)").doesNotContain("the body of");
        assertThat(run("spool", "show", failed.id(), "--body").out()).contains("the body of failed");
        Result corruptShown = run("spool", "show", corrupt, "--body");
        assertThat(corruptShown.code()).as(corruptShown.err()).isZero();
        assertThat(corruptShown.out()).contains("area:        corrupt").contains("the body of broken");
        Result unknown = run("spool", "show", "01NOSUCHID");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("show: no spool entry with id '01NOSUCHID'");
    }

    @Test
    void requeueFromTheErrorAreaRunsTheMailAgainAsNew() throws Exception {
        Result result = run("spool", "requeue", failed.id());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("requeued " + failed.id());
        assertThat(spool.find(SpoolArea.ERROR, failed.id())).isEmpty();
        Envelope again = spool.find(SpoolArea.INCOMING, failed.id()).orElseThrow().envelope();
        assertThat(again.attributes()).doesNotContainKeys(PipelineAttributes.FAILURES, PipelineAttributes.STATE,
                PipelineAttributes.LAST_ERROR).containsEntry(SpoolAdmin.REQUEUED_FROM, "error");

        assertThat(run("spool", "requeue", outgoing.id()).code()).isZero();
        assertThat(spool.find(SpoolArea.INCOMING, outgoing.id()).orElseThrow().envelope().attributes())
                .doesNotContainKeys(DeliveryService.ATTR_ATTEMPTS, DeliveryService.ATTR_LAST_ERROR);
        assertThat(run("spool", "requeue", incoming.id()).code()).isZero();
        assertThat(spool.find(SpoolArea.INCOMING, incoming.id()).orElseThrow().envelope().attributes())
                .doesNotContainKey(PipelineAttributes.FAILURES);
    }

    @Test
    void aCorruptEntryIsRequeuedOnceItsEnvelopeWasRepairedAndDeletedWhatever() throws Exception {
        Result refused = run("spool", "requeue", corrupt);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot be read").contains("repair corrupt/" + corrupt + ".env");

        Files.copy(root.resolve("quarantine").resolve(quarantined.id() + ".env"),
                root.resolve("corrupt").resolve(corrupt + ".env"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Result requeued = run("spool", "requeue", corrupt);
        assertThat(requeued.code()).as(requeued.err()).isZero();
        assertThat(spool.find(SpoolArea.INCOMING, corrupt)).isPresent();
        try (var left = Files.list(root.resolve("corrupt"))) {
            assertThat(left).isEmpty();
        }

        SpoolEntry other = store(SpoolArea.INCOMING, "x@example.net", Map.of(), "other");
        Files.writeString(root.resolve("incoming").resolve(other.id() + ".env"), "not json");
        spool.list(SpoolArea.INCOMING);
        Result deleted = run("spool", "delete", other.id());
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out().strip()).isEqualTo("deleted " + other.id());
        try (var left = Files.list(root.resolve("corrupt"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void requeueAndDeleteTakeAWholeArea() throws Exception {
        store(SpoolArea.ERROR, "err2@example.net", Map.of(), "failed too");
        Result result = run("spool", "requeue", "--all", "error");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().lines()).hasSize(2);
        assertThat(spool.list(SpoolArea.ERROR)).isEmpty();

        assertThat(run("spool", "delete", "--all", "quarantine").code()).isZero();
        assertThat(spool.list(SpoolArea.QUARANTINE)).isEmpty();
        assertThat(run("spool", "delete").err().strip()).isEqualTo("delete: give queue ids or --all AREA (one of the two)");
    }

    @Test
    void listSearchesByAddressQueueIdAndAge() throws Exception {
        Instant now = Instant.now();
        SpoolEntry old = spool.store(SpoolArea.OUTGOING, new Envelope("old@example.org", Map.of(),
                List.of("someone@Partner.example"), "192.0.2.7", "mx.example.net", null,
                now.minus(java.time.Duration.ofDays(3)), Map.of()), new ByteArrayInputStream(
                "Subject: old\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
        SpoolEntry recent = spool.store(SpoolArea.OUTGOING, new Envelope("new@example.org", Map.of(),
                List.of("rcpt@example.com"), "192.0.2.7", "mx.example.net", null, now.minusSeconds(5), Map.of()),
                new ByteArrayInputStream("Subject: new\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));

        Result byAddress = run("spool", "list", "--address", "partner.EXAMPLE");
        assertThat(byAddress.code()).as(byAddress.err()).isZero();
        assertThat(byAddress.out()).contains(old.id()).doesNotContain(recent.id()).endsWith("1 entry\n");
        assertThat(run("spool", "list", "outgoing", "--older-than", "2d").out()).contains(old.id())
                .doesNotContain(recent.id());
        assertThat(run("spool", "list", "--newer-than", "PT1H").out()).contains(recent.id())
                .doesNotContain(old.id()).endsWith("1 entry\n");
        assertThat(run("spool", "list", "--id", old.id().substring(2)).out()).contains(old.id())
                .doesNotContain(recent.id());
        assertThat(run("spool", "list", "--older-than", "soon").err().strip()).isEqualTo("list: not an age: 'soon' "
                + "(a number with s, m, h or d, e.g. 30m, or ISO-8601 such as PT1H)");
    }

    @Test
    void bounceQueuesAReportToTheSenderAndDeletesTheEntry() throws Exception {
        Result result = run("spool", "bounce", outgoing.id());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(spool.find(SpoolArea.OUTGOING, outgoing.id())).isEmpty();
        SpoolEntry report = spool.list(SpoolArea.INCOMING).stream().filter(e -> e.envelope().hasNullSender())
                .findFirst().orElseThrow();
        assertThat(result.out().strip()).isEqualTo("bounced " + outgoing.id() + ": report queued as " + report.id()
                + " to <out@example.com>; the entry is deleted");
        assertThat(report.envelope().recipients()).containsExactly("out@example.com");
        String text = Files.readString(report.contentFile(), StandardCharsets.US_ASCII);
        assertThat(text).contains("multipart/report").contains("Status: " + SpoolAdmin.BOUNCE_STATUS)
                .contains(SpoolAdmin.BOUNCE_DIAGNOSTIC).contains("Final-Recipient: rfc822; rcpt@example.com");

        // a report is never reported on: the null sender's entry is only deleted
        Result again = run("spool", "bounce", report.id());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out().strip()).isEqualTo("bounced " + report.id()
                + ": no report due (null sender or NOTIFY); the entry is deleted");
        assertThat(spool.list(SpoolArea.INCOMING)).noneMatch(e -> e.envelope().hasNullSender());
        assertThat(run("spool", "bounce", "01NOSUCHID").err().strip())
                .isEqualTo("bounce: no spool entry with id '01NOSUCHID'");
        assertThat(run("spool", "bounce", corrupt).err()).contains("repair corrupt/" + corrupt + ".env");
    }
}
