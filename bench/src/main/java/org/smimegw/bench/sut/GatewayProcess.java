package org.smimegw.bench.sut;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a child process, started either as {@code java [options] -Xlog:gc:file=... -jar smime-gateway.jar
 * run --config FILE} or the way users start it, {@code bin/smime-gateway run --config FILE} (the launcher execs the
 * JVM, so the process is the JVM), in a work directory, its output copied to {@code gateway.log}; ready when it
 * prints its "gateway ready" line. The start time is from launching the process to that line.
 */
public final class GatewayProcess implements SystemUnderTest {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayProcess.class);
    private static final Pattern READY = Pattern.compile("gateway ready");
    private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+) ms, (\\d+) ms since JVM start");
    /** The JVM's warnings about its start-up cache (e.g. one it could not use). */
    private static final Pattern CACHE_WARNING = Pattern.compile("\\[(warning|error)\\]\\[(aot|cds)");

    private final Process process;
    private final int smtpPort;
    private final Path gcLog;
    private final Path log;
    private final double startMillis;
    private final double reportedSinceJvmStartMillis;
    private final List<String> cacheWarnings;

    private GatewayProcess(Process process, int smtpPort, Path gcLog, Path log, double startMillis,
                           double reportedSinceJvmStartMillis, List<String> cacheWarnings) {
        this.process = process;
        this.smtpPort = smtpPort;
        this.gcLog = gcLog;
        this.log = log;
        this.startMillis = startMillis;
        this.reportedSinceJvmStartMillis = reportedSinceJvmStartMillis;
        this.cacheWarnings = cacheWarnings;
    }

    /**
     * Starts the gateway and waits for its ready line.
     *
     * @param java       the java launcher
     * @param jar        smime-gateway.jar
     * @param workDir    working directory (config, state, logs)
     * @param config     gateway.yaml written there
     * @param smtpPort   the SMTP port the config names
     * @param jvmOptions e.g. -Xmx256m, -XX:StartFlightRecording=...
     */
    public static GatewayProcess start(Path java, Path jar, Path workDir, Path config, int smtpPort,
                                       List<String> jvmOptions) throws IOException, InterruptedException {
        return start(java, jar, workDir, config, smtpPort, jvmOptions, Duration.ofSeconds(60));
    }

    /** As above, waiting at most {@code readyTimeout} for the ready line (then the process is killed). */
    public static GatewayProcess start(Path java, Path jar, Path workDir, Path config, int smtpPort,
                                       List<String> jvmOptions, Duration readyTimeout)
            throws IOException, InterruptedException {
        Path gcLog = workDir.resolve("gc.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions);
        cmd.add(GcLogHeap.jvmOption(gcLog));
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "run", "--config", config.toAbsolutePath().toString()));
        return start(new ProcessBuilder(cmd), workDir, gcLog, smtpPort, readyTimeout);
    }

    /**
     * Starts the gateway the way users do, {@code bin/smime-gateway run --config FILE}, with the start-up cache in
     * {@code cache} ({@code SMIME_GATEWAY_CACHE}) and the JVM options in {@code GATEWAY_JAVA_OPTS} (which the launcher
     * splits at blanks, so no option may contain one). The launcher runs the jar of its own installation.
     */
    public static GatewayProcess startWithLauncher(Path launcher, StartupCache cache, Path workDir, Path config,
                                                   int smtpPort, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path gcLog = workDir.resolve("gc.log");
        List<String> options = new ArrayList<>(jvmOptions);
        options.add(GcLogHeap.jvmOption(gcLog));
        for (String option : options) {
            if (option.isBlank() || option.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("GATEWAY_JAVA_OPTS cannot carry a JVM option with blanks: " + option);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(launcher.toAbsolutePath().toString(), "run", "--config",
                config.toAbsolutePath().toString());
        pb.environment().put("GATEWAY_JAVA_OPTS", String.join(" ", options));
        pb.environment().put("SMIME_GATEWAY_CACHE", cache.directory().toAbsolutePath().toString());
        return start(pb, workDir, gcLog, smtpPort, Duration.ofSeconds(60));
    }

    private static GatewayProcess start(ProcessBuilder command, Path workDir, Path gcLog, int smtpPort,
                                        Duration readyTimeout) throws IOException, InterruptedException {
        Path log = workDir.resolve("gateway.log");
        long t0 = System.nanoTime();
        Process p = command.directory(workDir.toFile()).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        long[] readyAt = new long[1];
        double[] reported = {-1};
        List<String> cacheWarnings = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().name("gateway-log").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 // appended: a gateway restarted in the same directory (the crash test) keeps every run's lines
                 BufferedWriter out = Files.newBufferedWriter(log, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (ready.getCount() > 0 && CACHE_WARNING.matcher(line).find()) {
                        cacheWarnings.add(line);
                    }
                    if (ready.getCount() > 0 && READY.matcher(line).find()) {
                        readyAt[0] = System.nanoTime();
                        Matcher m = STARTED_IN.matcher(line);
                        if (m.find()) {
                            reported[0] = Double.parseDouble(m.group(2));
                        }
                        ready.countDown();
                    }
                    out.write(line);
                    out.newLine();
                    if (ready.getCount() > 0) {
                        out.flush(); // readable when the start fails; afterwards buffered (one line per message)
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        });
        boolean up = false;
        while (!up && p.isAlive() && System.nanoTime() - t0 < readyTimeout.toNanos()) {
            up = ready.await(100, TimeUnit.MILLISECONDS);
        }
        if (!up) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IOException("gateway did not print its ready line (exit " + (p.isAlive() ? "-" : p.exitValue())
                    + "); log " + log + ": " + PostfixRelay.tail(log));
        }
        double startMillis = (readyAt[0] - t0) / 1e6;
        LOG.info("gateway up on 127.0.0.1:{} (pid {}) in {} ms", smtpPort, p.pid(), Math.round(startMillis));
        return new GatewayProcess(p, smtpPort, gcLog, log, startMillis, reported[0], List.copyOf(cacheWarnings));
    }

    /** Launch → ready line, as seen by the bench. */
    public double startMillis() {
        return startMillis;
    }

    /** "ms since JVM start" from the ready line, -1 when it did not say. */
    public double reportedSinceJvmStartMillis() {
        return reportedSinceJvmStartMillis;
    }

    /** The JVM's warnings about its start-up cache before the ready line (empty when it had none to give). */
    public List<String> cacheWarnings() {
        return cacheWarnings;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit code, or "running". */
    public String exitCode() {
        return process.isAlive() ? "running" : String.valueOf(process.exitValue());
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return smtpPort;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Optional<GcLogHeap.Peak> heap() {
        return Optional.of(GcLogHeap.read(gcLog));
    }

    /** Peak resident set size (VmHWM) in MB, -1 when unknown. */
    public double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux
        }
        return -1;
    }

    /** kill -9: SIGKILL, no chance to clean up; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * Stops with SIGTERM (graceful), then forcibly after 60 s (a gateway that records the launcher's start-up cache
     * writes it while it stops, which takes a few seconds, more on a busy machine). The signal goes through the
     * process handle: {@code Process.destroy()} would also close the pipe of the gateway's output, so that what it
     * prints while it stops is lost, and the JVM that assembles the start-up cache, which inherits that pipe, dies of
     * SIGPIPE on its first line.
     */
    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
