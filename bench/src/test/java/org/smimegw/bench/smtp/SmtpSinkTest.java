package org.smimegw.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.bench.load.LoadGenerator;
import org.smimegw.bench.load.LoadRun;
import org.smimegw.bench.load.LoadSpec;
import org.smimegw.bench.load.MessageTemplate;

class SmtpSinkTest {

    @Test
    void answersPipelinedCommandsInOrderAndRecordsTheBenchIdOfEachMessage() throws Exception {
        try (SmtpSink sink = SmtpSink.start();
             Socket s = new Socket(InetAddress.getLoopbackAddress(), sink.port())) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO client\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String> ehlo = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                ehlo.add(line);
            } while (line.charAt(3) == '-');
            assertThat(ehlo).contains("250-PIPELINING");
            // envelope pipelined in one write, then a message with a dot-stuffed line and the id in a folded position
            out.write(("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@partner.example>\r\nRCPT TO:<c@partner.example>\r\n"
                    + "DATA\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(List.of(in.readLine(), in.readLine(), in.readLine(), in.readLine()))
                    .extracting(r -> r.substring(0, 3)).containsExactly("250", "250", "250", "354");
            out.write(("Subject: x\r\nx-bench-ID:  id-1 \r\n\r\n..leading dot\r\nX-Bench-Id: not-a-header\r\n.\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("250 ");
            // a second message on the same connection, without an id; then RSET, NOOP and QUIT pipelined
            out.write("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@partner.example>\r\nDATA\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(List.of(in.readLine(), in.readLine(), in.readLine())).extracting(r -> r.substring(0, 3))
                    .containsExactly("250", "250", "354");
            out.write("Subject: y\r\n\r\nbody\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(List.of(in.readLine(), in.readLine(), in.readLine(), in.readLine()))
                    .extracting(r -> r.substring(0, 3)).containsExactly("250", "250", "250", "221");
            assertThat(sink.messages()).isEqualTo(2);
            assertThat(sink.arrival("id-1")).isNotNull();
            assertThat(sink.arrival("not-a-header")).isNull();
            assertThat(sink.arrivedIds()).isEqualTo(1);
            assertThat(sink.headerCounts()).isEmpty();
        }
    }

    @Test
    void generatorSendsEveryMessageAndTheSinkSeesEachId() throws Exception {
        try (SmtpSink sink = SmtpSink.start()) {
            MessageTemplate template = MessageTemplate.plain(3000, MessageTemplate.partnerRecipients(3));
            LoadRun run = new LoadGenerator(template).run(new LoadSpec("127.0.0.1", sink.port(), 4,
                    Duration.ofMinutes(1), 40, 0, false, "t"));
            assertThat(run.accepted()).isEqualTo(40);
            assertThat(run.failed()).isZero();
            assertThat(run.acceptLatencies()).hasSize(40);
            assertThat(run.connections()).isEqualTo(4);
            assertThat(sink.messages()).isEqualTo(40);
            // content + id header (t-0..t-9: 16 bytes, t-10..t-39: 17) + the final ".\r\n"
            assertThat(sink.bytes()).isEqualTo(40L * (template.size() + "X-Bench-Id: t-0\r\n".length() + 3) + 30);
            assertThat(sink.headerCounts()).containsEntry("content-type: text/plain", 40L);
            for (int i = 0; i < 40; i++) {
                assertThat(sink.arrival("t-" + i)).as("t-" + i).isNotNull();
            }
        }
    }

    @Test
    void plainTemplateHasTheRequestedSizeAndNoDotLines() {
        MessageTemplate t = MessageTemplate.plain(10 * 1024, MessageTemplate.partnerRecipients(10));
        assertThat(t.size()).isBetween(10 * 1024 - 2, 10 * 1024);
        String text = new String(t.content(), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("From: alice@example.com\r\n").contains("user10@partner.example").endsWith("\r\n");
        assertThat(text).doesNotContain("\r\n.").doesNotContain("\n\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    }
}
