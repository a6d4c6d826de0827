package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/** Replies of a pipelined group are held while input is pending and written together (RFC 2920). */
class ReplyMappingSocketTest {

    /** An unconnected socket whose output records each write that reaches it. */
    private static final class RecordingSocket extends Socket {
        final List<String> writes = new ArrayList<>();
        boolean closed;

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    writes.add(new String(b, off, len, StandardCharsets.UTF_8));
                }
            };
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }

    private final RecordingSocket wire = new RecordingSocket();
    private final AtomicInteger pending = new AtomicInteger();

    private ReplyMappingSocket socket(UnaryOperator<String> mapping) throws Exception {
        return new ReplyMappingSocket(wire, mapping, pending::get);
    }

    /** What SubEthaSMTP's Session.sendResponse does: print the reply and its CRLF, then flush. */
    private static void reply(ReplyMappingSocket s, String line) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void repliesToAPipelinedGroupAreWrittenTogetherOnceNoInputIsPending() throws Exception {
        ReplyMappingSocket s = socket(UnaryOperator.identity());
        pending.set(40); // RCPT, RCPT, DATA still unread
        reply(s, "250 2.1.0 Ok");
        pending.set(26);
        reply(s, "250 2.1.5 Ok");
        pending.set(6);
        reply(s, "250 2.1.5 Ok");
        assertThat(wire.writes).isEmpty();
        pending.set(0); // DATA was the last command of the group
        reply(s, "354 End data with <CR><LF>.<CR><LF>");
        assertThat(wire.writes).containsExactly(
                "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
    }

    @Test
    void aClientThatWaitsForEachReplyGetsItAtOnce() throws Exception {
        ReplyMappingSocket s = socket(line -> line.startsWith("500") ? line + " (mapped)" : line);
        reply(s, "250 2.1.0 Ok");
        assertThat(wire.writes).containsExactly("250 2.1.0 Ok\r\n");
        reply(s, "500 unknown");
        assertThat(wire.writes).containsExactly("250 2.1.0 Ok\r\n", "500 unknown (mapped)\r\n");
    }

    @Test
    void heldRepliesAreWrittenBeforeTheSocketClosesAndBeforeTls() throws Exception {
        ReplyMappingSocket s = socket(UnaryOperator.identity());
        pending.set(10);
        reply(s, "220 2.0.0 Ready to start TLS");
        assertThat(wire.writes).isEmpty();
        ReplyMappingSocket.sendHeldReplies(s);
        assertThat(wire.writes).containsExactly("220 2.0.0 Ready to start TLS\r\n");

        reply(s, "221 2.0.0 Bye");
        s.close();
        assertThat(wire.writes).containsExactly("220 2.0.0 Ready to start TLS\r\n", "221 2.0.0 Bye\r\n");
        assertThat(wire.closed).isTrue();
    }

    @Test
    void aClientThatPipelinesWithoutReadingGetsRepliesOnceTooManyAreHeld() throws Exception {
        ReplyMappingSocket s = socket(UnaryOperator.identity());
        pending.set(1_000_000);
        String line = "250 2.1.5 Ok";
        int needed = ReplyMappingSocket.MAX_HELD / (line.length() + 2) + 1;
        for (int i = 0; i < needed; i++) {
            reply(s, line);
        }
        assertThat(wire.writes).hasSize(1);
        assertThat(wire.writes.get(0)).hasSize(needed * (line.length() + 2));
    }

    @Test
    void aBrokenInputWritesWhatIsHeld() throws Exception {
        ReplyMappingSocket s = new ReplyMappingSocket(wire, UnaryOperator.identity(), () -> {
            throw new java.io.IOException("closed");
        });
        reply(s, "421 4.4.2 Timeout");
        assertThat(wire.writes).containsExactly("421 4.4.2 Timeout\r\n");
    }
}
