package org.smimegw.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example of README.md that is marked as such ({@link ReadmeExamples}) runs, in the README's order, as a
 * reader runs it: with bash, in the unpacked distribution archive (a fresh copy of the shipped {@code conf/}), the
 * gateway started the way the README starts it. Each command block must exit 0 and print the output the README
 * shows. The only change to what the README says: the shipped ports (SMTP 2525, admin 8025, embedded mailbox 3025 and
 * 3143) become free ports, in {@code conf/gateway.yaml} and in every example, so that the test runs beside anything
 * else. Loopback only; needs bash, curl (with IMAP) and openssl, as the README does.
 */
class ReadmeExamplesIT {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration BACKGROUND_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern SHIPPED_PORT = Pattern.compile("(?<![0-9])(2525|8025|3025|3143)(?![0-9])");

    private static final Path REPOSITORY = Path.of(System.getProperty("repo.root"));

    @TempDir
    Path dir;

    private final List<Process> background = new ArrayList<>();

    @AfterEach
    void stopBackground() throws InterruptedException {
        for (Process p : background) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    @Test
    void everyMarkedExampleRunsAndPrintsWhatTheReadmeShows() throws Exception {
        for (String program : List.of("bash", "curl", "openssl")) {
            Assumptions.assumeTrue(Commands.run("sh", "-c", "command -v " + program).exit() == 0,
                    program + " is not installed: the README's examples need it");
        }
        ReadmeExamples readme = ReadmeExamples.parse(Files.readString(REPOSITORY.resolve("README.md")));
        assertThat(readme.examples()).as("the README's marked examples").hasSizeGreaterThan(15);

        Path home = unpackArchive();
        Map<String, String> ports = freePorts(home.resolve("conf/gateway.yaml"));
        Map<String, String> env = environment();
        Path gatewayLog = null;
        Process gateway = null;

        for (ReadmeExamples.Example example : readme.examples()) {
            String script = substitute(example.script(), ports);
            List<String> expected = example.expected().stream().map(l -> substitute(l, ports)).toList();
            System.out.println("---- " + example);
            switch (example.kind()) {
                case BACKGROUND -> {
                    assertThat(expected).as("%s: a readme-output block saying when it is up", example).isNotEmpty();
                    gatewayLog = dir.resolve("background-" + example.line() + ".log");
                    gateway = start(script, home, env, gatewayLog);
                    awaitOutput(example, expected, gateway, gatewayLog, BACKGROUND_TIMEOUT);
                }
                case LOG -> {
                    assertThat(gateway).as(example + ": a readme-log block before anything runs in the background")
                            .isNotNull();
                    // the log is written by a background thread: give it a moment to catch up
                    awaitOutput(example, expected, gateway, gatewayLog, Duration.ofSeconds(30));
                }
                case COMMAND -> {
                    Commands.Result result = runScript(script, home, env);
                    assertThat(result.exit()).as("exit status of %s%noutput:%n%s", example, result.output())
                            .isZero();
                    String missing = ReadmeExamples.firstMissing(expected, result.output());
                    assertThat(missing).as("%s%nprinted%n%s%nwithout the line the README shows", example,
                            result.output()).isNull();
                }
            }
        }
    }

    /** README.md is what docs/readme/assemble.py makes of the template and docs/*.md: no example edited only there. */
    @Test
    void readmeIsAssembledFromTheDocs() throws Exception {
        Assumptions.assumeTrue(Commands.run("sh", "-c", "command -v python3").exit() == 0,
                "python3 is not installed: README.md cannot be assembled here");
        Process assemble = new ProcessBuilder("python3", "docs/readme/assemble.py", "docs/readme/template.md")
                .directory(REPOSITORY.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String assembled = new String(assemble.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(assemble.waitFor()).as("exit status of docs/readme/assemble.py").isZero();
        List<String> readme = Files.readString(REPOSITORY.resolve("README.md")).lines().toList();
        List<String> fromDocs = assembled.lines().toList();
        int line = 0;
        while (line < Math.min(readme.size(), fromDocs.size()) && readme.get(line).equals(fromDocs.get(line))) {
            line++;
        }
        assertThat(line == readme.size() && line == fromDocs.size())
                .as("README.md is out of date from line %d on (README.md: '%s', from the docs: '%s'): run "
                        + "python3 docs/readme/assemble.py docs/readme/template.md > README.md", line + 1,
                        line < readme.size() ? readme.get(line) : "(end)",
                        line < fromDocs.size() ? fromDocs.get(line) : "(end)")
                .isTrue();
    }

    private Path unpackArchive() throws Exception {
        Commands.run("tar", "-xzf", ArchiveIT.distFile("smime-gateway-*.tar.gz").toString(), "-C", dir.toString())
                .expectSuccess();
        try (var top = Files.list(dir)) {
            return top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** Free ports in place of the shipped ones in the archive's gateway.yaml; shipped port -> free port. */
    private static Map<String, String> freePorts(Path gatewayYaml) throws IOException {
        String yaml = Files.readString(gatewayYaml);
        Map<String, String> ports = new HashMap<>();
        for (String[] key : new String[][] {{"port", "2525"}, {"port", "8025"}, {"smtpPort", "3025"},
                {"imapPort", "3143"}}) {
            String free = String.valueOf(ExternalProcess.freePort());
            Pattern setting = Pattern.compile("(?m)^(\\s+" + key[0] + "): " + key[1] + "\\b");
            assertThat(setting.matcher(yaml).find()).as("the shipped gateway.yaml sets %s: %s, as the README says",
                    key[0], key[1]).isTrue();
            yaml = setting.matcher(yaml).replaceFirst("$1: " + free);
            ports.put(key[1], free);
        }
        Files.writeString(gatewayYaml, yaml);
        return ports;
    }

    private static String substitute(String text, Map<String, String> ports) {
        Matcher m = SHIPPED_PORT.matcher(text);
        return m.replaceAll(r -> ports.get(r.group(1)));
    }

    /** A login shell's environment with this JVM as the Java runtime, a private HOME and no start-up cache. */
    private Map<String, String> environment() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("LANG", "C.UTF-8");
        env.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        env.put("SMIME_GATEWAY_CACHE", "off");
        return env;
    }

    private Commands.Result runScript(String script, Path home, Map<String, String> env) throws Exception {
        Path file = Files.createTempFile(dir, "example-", ".sh");
        Files.writeString(file, "set -eo pipefail\n" + script + "\n");
        ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).directory(home.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        Path out = dir.resolve(file.getFileName() + ".out");
        Thread copy = Thread.ofVirtual().start(() -> {
            try (var in = process.getInputStream()) {
                Files.copy(in, out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            copy.join(5000);
            throw new AssertionError("did not finish in " + COMMAND_TIMEOUT + ":\n" + script + "\noutput:\n"
                    + (Files.exists(out) ? Files.readString(out) : ""));
        }
        copy.join();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println(output + "# exit " + process.exitValue());
        return new Commands.Result(process.exitValue(), output);
    }

    private Process start(String script, Path home, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        background.add(process);
        return process;
    }

    private static void awaitOutput(ReadmeExamples.Example example, List<String> expected, Process process, Path log,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            String missing = ReadmeExamples.firstMissing(expected, output);
            if (missing == null) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(example + "\n" + (process.isAlive() ? "still running" : "ended with "
                        + process.exitValue()) + " without printing '" + missing + "' (README.md shows it); "
                        + "it printed:\n" + output);
            }
            Thread.sleep(200);
        }
    }
}
