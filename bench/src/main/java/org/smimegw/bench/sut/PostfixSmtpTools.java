package org.smimegw.bench.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's load tools ({@code smtp-source}, {@code smtp-sink}) so the rig can be compared with the field's
 * standard: smtp-source sends a fixed number of messages over N sessions; the elapsed time gives msgs/s.
 */
public final class PostfixSmtpTools {

    private static final Logger LOG = LoggerFactory.getLogger(PostfixSmtpTools.class);
    private static final Path SMTP_SOURCE = Path.of("/usr/sbin/smtp-source");
    private static final Path SMTP_SINK = Path.of("/usr/sbin/smtp-sink");

    /** A running smtp-sink process. */
    public record Sink(Process process, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Result of one smtp-source run. */
    public record SourceRun(long messages, double seconds, boolean ok, String output) {
        public double perSecond() {
            return messages / Math.max(1e-9, seconds);
        }
    }

    private PostfixSmtpTools() {
    }

    /** Null when both tools exist, else why not. */
    public static String unavailableReason() {
        if (!Files.isExecutable(SMTP_SOURCE) || !Files.isExecutable(SMTP_SINK)) {
            return "smtp-source/smtp-sink not installed (Debian package postfix)";
        }
        return null;
    }

    /** Starts {@code smtp-sink} on a free loopback port (as user postfix when run by root). */
    public static Sink startSink() throws IOException {
        int port = Ports.free();
        List<String> cmd = new ArrayList<>(List.of(SMTP_SINK.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "postfix"));
        }
        cmd.addAll(List.of("127.0.0.1:" + port, "1024"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!Ports.awaitSmtpGreeting(port, Duration.ofSeconds(10), p::isAlive)) {
            p.destroyForcibly();
            throw new IOException("smtp-sink did not start on port " + port);
        }
        return new Sink(p, port);
    }

    /**
     * Runs {@code smtp-source -d -s SESSIONS -m MESSAGES -l SIZE -r RECIPIENTS} against 127.0.0.1:port (-d: keep
     * each connection for several messages, like the bench's generator), from alice@example.com (internal, with a
     * signing key in the bench's certificate stores) to user1@partner.example (with a certificate there), so that a
     * sign+encrypt gateway signs and encrypts smtp-source's mail as it does the generator's.
     */
    public static SourceRun source(int port, int sessions, long messages, int size, int recipients)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(SMTP_SOURCE.toString(), "-d", "-s", String.valueOf(sessions), "-m",
                String.valueOf(messages), "-l", String.valueOf(size), "-r", String.valueOf(recipients),
                "-f", "alice@example.com", "-t", "user1@partner.example", "-M", "bench.example",
                "127.0.0.1:" + port);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = new String(out).trim();
        boolean ok = finished && p.exitValue() == 0;
        if (!ok) {
            LOG.warn("smtp-source failed: {}", text);
        }
        return new SourceRun(messages, seconds, ok, text.length() > 300 ? text.substring(0, 300) : text);
    }
}
