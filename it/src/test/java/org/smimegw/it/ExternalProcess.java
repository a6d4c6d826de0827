package org.smimegw.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/** A process the test starts (slapd, haproxy, a gateway): output to a log file, waits, stop and kill -9. */
final class ExternalProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final Map<String, String> environment;
    private Process process;

    ExternalProcess(String name, List<String> command, Path log, Map<String, String> environment) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.environment = Map.copyOf(environment);
    }

    /** Starts it (again), appending to its log. */
    ExternalProcess start() throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().putAll(environment);
        process = b.start();
        return this;
    }

    /** Waits until {@code port} on 127.0.0.1 accepts connections; fails with the log's tail if the process ends. */
    void awaitPort(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(name + " not listening on " + port + " after " + timeout + ":\n" + tail());
    }

    /** Waits until the log has a line containing {@code text} (appearing after {@code skipLines} lines). */
    void awaitLog(String text, int skipLines, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines().skip(skipLines).anyMatch(l -> l.contains(text))) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + text + "' from " + name + " after " + timeout + ":\n" + tail());
    }

    int logLines() throws IOException {
        return (int) lines().count();
    }

    /** SIGKILL, like a machine that dies: nothing is flushed or finished. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String tail() throws IOException {
        List<String> all = lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    }

    private Stream<String> lines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).stream() : Stream.empty();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A free TCP port on 127.0.0.1 (closed again: whoever binds it next gets it, barring a race). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** The program's path, or the test is skipped saying what to install. */
    static Path require(String program, String debianPackage) {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"), new String[] {
                        "/usr/sbin", "/usr/local/sbin", "/sbin"})
                .flatMap(Stream::of).filter(d -> !d.isEmpty()).map(d -> Path.of(d, program))
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(found.isPresent(), program + " is not installed (apt-get install " + debianPackage
                + "): the multi-process cluster test is skipped");
        return found.get();
    }
}
