package org.smimegw.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.cli.Main;

/**
 * Memory follows size, not MIME structure: the gateway runs in its own JVM with {@code -Xmx256m} and
 * {@code -XX:+ExitOnOutOfMemoryError} (as bin/smime-gateway starts it) and the shipped pipeline, and signs and
 * delivers a 0.5 MB message of 10,000 MIME parts (which ran out of memory before), then a 45 MB one; a multipart
 * nested 5,000 levels deep gets its verdict (sent on unchanged: the policy does not require S/MIME for it) instead of
 * a StackOverflowError. The peak heap of each phase, from the child's GC log, goes to
 * {@code target/structure-heap.txt}.
 */
class StructureHeapTest {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    @Test
    void tenThousandPartsAndFiftyMegabytesAreSignedAndDeliveredIn256Megabytes() throws Exception {
        TestPki pki = TestPki.create("Heap");
        TestPki.Issued alice = pki.issue("alice@example.com");
        Files.writeString(dir.resolve("store.pass"), "heap-test-store\n");
        FileCertificateStore store = new FileCertificateStore(dir.resolve("certstore"),
                new KeyPasswordSource("file:" + dir.resolve("store.pass"), System::getenv, true, dir));
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());
        Files.createDirectories(dir.resolve("conf"));
        for (String name : List.of("mailetcontainer.xml", "policy.yaml")) {
            Files.copy(REPO.resolve("conf").resolve(name), dir.resolve("conf").resolve(name));
        }
        try (FileSinkNextHop sink = new FileSinkNextHop(dir.resolve("received"))) {
            Path config = Files.writeString(dir.resolve("conf/gateway.yaml"), """
                    hostname: gw.test
                    internalDomains: [example.com]
                    stateDir: %s
                    smtp: {port: 0}
                    pipeline: {config: %s, workers: 4}
                    admin: {enabled: false, jmx: false}
                    delivery:
                      smarthost: {host: 127.0.0.1, port: %d, starttls: OFF}
                    certstore:
                      directory: %s
                      keyPassword: file:%s
                      revocation: {mode: OFF}
                    policy: {file: %s}
                    """.formatted(dir.resolve("var"), dir.resolve("conf/mailetcontainer.xml"), sink.port(),
                    dir.resolve("certstore"), dir.resolve("store.pass"), dir.resolve("conf/policy.yaml")));
            Path gcLog = dir.resolve("gc.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process gateway = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                    "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "run", "--config", config.toString()).redirectErrorStream(true).start();
            List<String> output = new CopyOnWriteArrayList<>();
            try {
                int port = awaitReady(gateway, output);
                StringBuilder report = new StringBuilder();

                send(port, "alice@example.com", "bob@other.example", out -> manyParts(out, 10_000));
                Path signed = awaitReceived(sink, 1, gateway, output);
                assertSignedAround(signed, "--many--", 10_000);
                report.append("PARTS_10000_PEAK_HEAP_MB=").append(peakHeapMegabytes(gcLog)).append('\n');
                report.append("PARTS_10000_WIRE_BYTES=").append(Files.size(signed)).append('\n');

                send(port, "alice@example.com", "bob@other.example", out -> nested(out, 5_000));
                Path deep = awaitReceived(sink, 2, gateway, output);
                assertThat(Files.readString(deep)).contains("innermost").contains("multipart/mixed")
                        .doesNotContain("multipart/signed");

                send(port, "alice@example.com", "bob@other.example", out -> large(out, 45));
                Path big = awaitReceived(sink, 3, gateway, output);
                assertSignedAround(big, "--big--", 1);
                report.append("SIZE_45MB_PEAK_HEAP_MB=").append(peakHeapMegabytes(gcLog)).append('\n');
                report.append("SIZE_45MB_WIRE_BYTES=").append(Files.size(big)).append('\n');

                assertThat(gateway.isAlive()).as("gateway still running").isTrue();
                assertThat(String.join("\n", output)).doesNotContain("java.lang.OutOfMemoryError")
                        .doesNotContain("java.lang.StackOverflowError")
                        .contains("an OutOfMemoryError ends this process (-XX:+ExitOnOutOfMemoryError)");
                System.out.print(report);
                Files.writeString(Path.of("target", "structure-heap.txt"), report);
            } finally {
                gateway.destroy();
                if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
        }
    }

    /** The message arrived signed (multipart/signed), the signature verifies (openssl), the content is intact. */
    private static void assertSignedAround(Path file, String contentEnd, int parts) throws Exception {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            List<String> head = lines.limit(40).toList();
            assertThat(String.join("\n", head)).containsIgnoringCase("Content-Type: multipart/signed");
        }
        long partLines;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            partLines = lines.filter(l -> l.startsWith("Content-Type: text/plain")
                    || l.startsWith("Content-Type: application/octet-stream")).count();
        }
        assertThat(partLines).isGreaterThanOrEqualTo(parts);
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).contains(contentEnd);
        Process openssl = new ProcessBuilder("openssl", "smime", "-verify", "-noverify", "-in", file.toString(),
                "-out", "/dev/null").redirectErrorStream(true).start();
        String said = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(openssl.exitValue()).as(said).isZero();
        assertThat(said).contains("Verification successful");
    }

    /** The peak heap occupancy so far (MB), from the GC log's "before" sizes ({@code 123M->45M(256M)}). */
    private static long peakHeapMegabytes(Path gcLog) throws IOException {
        Matcher m = Pattern.compile("(\\d+)M->\\d+M\\(\\d+M\\)").matcher(Files.readString(gcLog));
        long peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }

    private static int awaitReady(Process gateway, List<String> output) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        Pattern ready = Pattern.compile("gateway ready: smtp 127\\.0\\.0\\.1:(\\d+)");
        for (String line; (line = out.readLine()) != null; ) {
            output.add(line);
            Matcher m = ready.matcher(line);
            if (m.find()) {
                Thread reader = new Thread(() -> {
                    try {
                        for (String l; (l = out.readLine()) != null; ) {
                            output.add(l);
                        }
                    } catch (IOException e) {
                        // the gateway stopped
                    }
                }, "gateway-output");
                reader.setDaemon(true);
                reader.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the gateway did not start:\n" + String.join("\n", output));
    }

    private static Path awaitReceived(FileSinkNextHop sink, int count, Process gateway, List<String> output)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (sink.received().size() < count) {
            assertThat(gateway.isAlive()).as("gateway alive; output:\n%s", String.join("\n", output)).isTrue();
            assertThat(System.nanoTime()).as("message %d delivered in time; output:\n%s", count,
                    String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size())))
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        return sink.received().get(count - 1);
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** One SMTP transaction with the message {@code writer} streams (dot-stuffing not needed: no line starts with '.'). */
    private static void send(int port, String from, String to, Writer writer) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(300_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            expect(in, "220");
            command(out, in, "EHLO client.test", "250");
            command(out, in, "MAIL FROM:<" + from + ">", "250");
            command(out, in, "RCPT TO:<" + to + ">", "250");
            command(out, in, "DATA", "354");
            out.write(("From: " + from + "\r\nTo: " + to + "\r\nMIME-Version: 1.0\r\n").getBytes(StandardCharsets.US_ASCII));
            writer.write(out);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(in, "250");
            command(out, in, "QUIT", "221");
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        List<String> reply = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after " + reply);
            }
            reply.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        assertThat(line).as("reply %s", reply).startsWith(code);
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void manyParts(OutputStream out, int parts) throws IOException {
        ascii(out, "Subject: ten thousand parts\r\nContent-Type: multipart/mixed; boundary=\"many\"\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            ascii(out, "--many\r\nContent-Type: text/plain\r\n\r\npart " + i + "\r\n");
        }
        ascii(out, "--many--\r\n");
    }

    private static void nested(OutputStream out, int depth) throws IOException {
        ascii(out, "Subject: nested\r\n");
        for (int i = 0; i < depth; i++) {
            ascii(out, "Content-Type: multipart/mixed; boundary=\"d" + i + "\"\r\n\r\n--d" + i + "\r\n");
        }
        ascii(out, "Content-Type: text/plain\r\n\r\ninnermost\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            ascii(out, "--d" + i + "--\r\n");
        }
    }

    private static void large(OutputStream out, int megabytes) throws IOException {
        ascii(out, "Subject: large\r\nContent-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\n"
                + "Content-Type: text/plain\r\n\r\nsee attachment\r\n--big\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n");
        byte[] line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (long written = 0; written < megabytes * 1024L * 1024; written += line.length) {
            out.write(line);
        }
        ascii(out, "--big--\r\n");
    }
}
