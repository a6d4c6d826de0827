package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * Fuzz target: a whole SMTP session against the real front end on loopback: the fuzzer's bytes are everything the
 * client sends after connecting (commands, pipelining, DATA content), then the client half-closes and reads every
 * reply. Bad input gets refusals; a finding is a reply line that is not {@code NNN[ -]text}, a
 * {@code 451 4.3.0} (the front end's answer to an unexpected local failure), an error logged by the gateway or
 * SubEthaSMTP, a {@code queued as} id that is not in the spool, a session that does not end within 10 s of the
 * client's end of input (a hang), any exception in the harness, or more than 20 s for one input. What follows a
 * STARTTLS {@code 220} is TLS, not checked.
 * Inputs: {@code src/test/resources/org/smimegw/gateway/smtp/SmtpSessionFuzzTestInputs/session}.
 */
class SmtpSessionFuzzTest {
    private static final Pattern REPLY_LINE = Pattern.compile("[2-5][0-9][0-9]([ -].*)?");
    private static final Pattern QUEUED =
            Pattern.compile("^250 2\\.0\\.0 Ok: queued as ([0-9A-F]+)$", Pattern.MULTILINE);
    private static final int MAX_REPLY_BYTES = 1 << 20;
    private static final String STARTTLS_READY = "220 2.0.0 Ready to start TLS\r\n";

    private static Path dir;
    private static FileSpool spool;
    private static SmtpFrontEnd frontEnd;
    private static ListAppender<ILoggingEvent> errors;
    private static Logger root;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("smtp-fuzz");
        MetricRegistry metrics = new MetricRegistry();
        spool = new FileSpool(dir.resolve("spool"), Clock.systemUTC(), metrics);
        // small limits so that the fuzzer reaches them (64 KiB messages, 5 recipients, 200-octet lines); loopback
        // is not a trusted network: relaying only to example.com
        SmtpConfig config = new SmtpConfig("127.0.0.1", 0, "gw.test", 65_536L, 5, 20, 10, 10, 200,
                List.of("192.0.2.0/24"), List.of("example.com"), null, new SmtpConfig.Auth(List.of()), null);
        frontEnd = new SmtpFrontEnd(config, dir.resolve("state"), spool, Clock.systemUTC(), metrics, entry -> { });
        frontEnd.start();
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        errors = new ListAppender<>();
        errors.setContext(logging);
        errors.addFilter(new ch.qos.logback.core.filter.Filter<>() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
                return event.getLevel().isGreaterOrEqual(Level.ERROR) ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
                        : ch.qos.logback.core.spi.FilterReply.DENY;
            }
        });
        errors.start();
        root.addAppender(errors);
    }

    @AfterAll
    static void stop() throws IOException {
        root.detachAppender(errors);
        frontEnd.stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void session(byte[] client) throws IOException {
        errors.list.clear();
        String replies = beforeTls(converse(client));
        for (String line : replies.split("\r\n")) {
            assertThat(line).as("reply line in %s", replies).matches(REPLY_LINE);
            assertThat(line).as("local failure in %s", replies).doesNotStartWith("451 4.3.0");
        }
        assertThat(errors.list).as("errors logged").extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        Matcher queued = QUEUED.matcher(replies);
        while (queued.find()) {
            SpoolEntry entry = spool.find(SpoolArea.INCOMING, queued.group(1)).orElseThrow(
                    () -> new AssertionError("accepted but not in the spool: " + queued.group()));
            spool.delete(entry);
        }
    }

    /** What the server sent in clear: after a STARTTLS 220 it speaks TLS (an alert, for the fuzzer's bytes). */
    private static String beforeTls(String replies) {
        int tls = replies.indexOf(STARTTLS_READY);
        return tls < 0 ? replies : replies.substring(0, tls + STARTTLS_READY.length());
    }

    /** Sends everything, half-closes, and returns everything the server sent until it closed. */
    private static String converse(byte[] client) throws IOException {
        // Jazzer's SSRF detector: this harness connects to the front end's port on loopback, and nowhere else
        try (SilentCloseable onlyTheFrontEnd = BugDetectors.allowNetworkConnections(
                (host, port) -> port == frontEnd.port());
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", frontEnd.port()), 10_000);
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(client);
                socket.shutdownOutput();
            } catch (SocketException e) {
                // the server closed first (e.g. after 421); what it said is still to be read
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    received.write(buf, 0, n);
                    assertThat(received.size()).as("reply bytes").isLessThan(MAX_REPLY_BYTES);
                }
            } catch (SocketException e) {
                // reset after the server closed with unread input: the replies before it count
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
