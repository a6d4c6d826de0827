package org.smimegw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smime-gateway run} in its own JVM, as an admin starts it: prints the ready line with the bound ports,
 * relays a message sent with {@code send}, and stops gracefully on SIGTERM.
 */
class RunCommandProcessTest {
    @TempDir
    Path dir;

    private Process start(Path config) throws Exception {
        return start(config, dir);
    }

    private Process start(Path config, Path workingDirectory) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", config.toString()));
        return new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true).start();
    }

    /** Reads the process's output up to the ready line; fails with what was printed when there is none. */
    private static String readyLine(BufferedReader out) throws Exception {
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("gateway ready: ")) {
                return line;
            }
        }
        throw new AssertionError("no ready line; output:\n" + seen);
    }

    @Test
    void theShippedConfigurationRunsFromAnyWorkingDirectory() throws Exception {
        // as an admin runs it: run --config /somewhere/conf/gateway.yaml from another directory; the shipped file's
        // relative paths (../var, mailetcontainer.xml, policy.yaml) are relative to its own directory
        Path conf = Files.createDirectories(dir.resolve("install/conf"));
        Path repoConf = Path.of("").toAbsolutePath().getParent().resolve("conf");
        for (String name : List.of("mailetcontainer.xml", "policy.yaml")) {
            Files.copy(repoConf.resolve(name), conf.resolve(name));
        }
        Path config = Files.writeString(conf.resolve("gateway.yaml"), Files.readString(repoConf.resolve("gateway.yaml"))
                .replaceAll("(?m)^(\\s+(port|smtpPort|imapPort)): \\d+", "$1: 0"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Process process = start(config, elsewhere);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = readyLine(out);
            assertThat(ready).contains("spool " + dir.resolve("install/var/spool"));
            assertThat(dir.resolve("install/var/certstore/trust/roots")).isDirectory();
            try (var inWorkingDirectory = Files.list(elsewhere)) {
                assertThat(inWorkingDirectory).as("nothing is created in the working directory").isEmpty();
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void runPrintsTheReadyLineRelaysAndStopsOnSigterm() throws Exception {
        // the shipped pipeline
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("conf/mailetcontainer.xml"),
                dir.resolve("mailetcontainer.xml"));
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                hostname: gw.test
                internalDomains: [example.com]
                smtp: {port: 0}
                pipeline: {config: mailetcontainer.xml}
                admin: {port: 0, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                """);
        Process process = start(config);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = null;
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith("gateway ready: ")) {
                    ready = line;
                    break;
                }
            }
            assertThat(ready).as("output:\n%s", seen).isNotNull();
            Matcher smtp = Pattern.compile("smtp 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertThat(smtp.find()).isTrue();
            assertThat(ready).containsPattern("admin http://127\\.0\\.0\\.1:\\d+")
                    .containsPattern("imap 127\\.0\\.0\\.1:\\d+")
                    .containsPattern("started in \\d+ ms");

            MainTest.Result sent = MainTest.run("send", "--server", "127.0.0.1:" + smtp.group(1),
                    "--from", "bob@example.net", "--to", "alice@example.com", "--subject", "via run");
            assertThat(sent.code()).as(sent.err()).isZero();
            assertThat(sent.out()).startsWith("250 2.0.0");

            // SIGTERM (through the handle: Process.destroy() would also close our end of its output)
            process.toHandle().destroy();
            StringBuilder rest = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(rest).contains("gateway stopping").doesNotContain("Exception");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void badConfigExitsNonZeroWithOneLine() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "smtp:\n  port: 2525\n  bind: 127.0.0.1\n  colour: blue\n");
        Process process = start(config);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).isEqualTo(ExitCodes.CONFIG);
        assertThat(output).isEqualTo("config error: " + config + ":4: unknown key 'colour' in smtp (known keys: "
                + "auth, bind, dataTimeoutSeconds, hostname, idleTimeoutSeconds, maxConnections, maxLineLength, "
                + "maxMessageSize, maxRecipients, mynetworks, port, proxyProtocol, relayDomains, tls)");
    }

    private String exitOutput(Process process) throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void embeddedMailboxPortInUseIsOneLine() throws Exception {
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("conf/mailetcontainer.xml"),
                dir.resolve("shipped.xml"));
        for (String which : List.of("imapPort", "smtpPort")) {
            try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getByName("127.0.0.1"))) {
                Path config = dir.resolve("gateway-" + which + ".yaml");
                Files.writeString(config, """
                        smtp: {port: 0}
                        admin: {port: 0, jmx: false}
                        pipeline: {config: shipped.xml}
                        embeddedMailbox: {enabled: true, %s: 0, %s: %d}
                        """.formatted(which.equals("imapPort") ? "smtpPort" : "imapPort", which,
                        taken.getLocalPort()));
                Process process = start(config);
                String output = exitOutput(process);
                assertThat(process.exitValue()).as(output).isEqualTo(ExitCodes.FAILURE);
                // only the gateway's own log lines (the pipeline loaded) and the one error line; no stack trace
                assertThat(output).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("timeout");
                assertThat(output.lines().filter(l -> l.startsWith("run: "))).containsExactly(
                        "run: cannot start: embeddedMailbox: cannot listen on 127.0.0.1:"
                                + taken.getLocalPort() + " (" + (which.startsWith("imap") ? "imap" : "smtp")
                                + "): Address already in use");
            }
        }
    }

    @Test
    void aBadPolicyOrPipelineFileIsAConfigurationErrorLikeABadGatewayYaml() throws Exception {
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("conf/mailetcontainer.xml"),
                dir.resolve("shipped.xml"));
        Files.writeString(dir.resolve("policy.yaml"), "global:\n  RequireEncryptionSMIMEAlgorithm: aes-256\n");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                smtp: {port: 0}
                admin: {enabled: false, jmx: false}
                policy: {file: policy.yaml}
                pipeline: {config: shipped.xml}
                """);
        Process process = start(config);
        String output = exitOutput(process);
        assertThat(process.exitValue()).as(output).isEqualTo(ExitCodes.CONFIG);
        assertThat(output).contains("policy.yaml:2");

        Files.delete(dir.resolve("policy.yaml")); // else it is the policy beside gateway.yaml by default
        Files.writeString(dir.resolve("mailetcontainer.xml"), "<mailetcontainer><processors>\n"
                + "<processor state=\"root\"><mailet match=\"All\" class=\"NoSuchMailet\"/></processor>\n"
                + "</processors></mailetcontainer>\n");
        Files.writeString(config, """
                smtp: {port: 0}
                admin: {enabled: false, jmx: false}
                pipeline: {config: mailetcontainer.xml}
                """);
        process = start(config);
        output = exitOutput(process);
        assertThat(process.exitValue()).as(output).isEqualTo(ExitCodes.CONFIG);
        assertThat(output).contains("mailetcontainer.xml:2: unknown mailet class 'NoSuchMailet'");
    }

    @Test
    void jsonLogFormatIsOneObjectPerLineWithQueueIdStageAndOutcome() throws Exception {
        Files.writeString(dir.resolve("relay.xml"), org.smimegw.gateway.app.TestGatewayConfig.relayPipeline(""));
        int deadHop;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            deadHop = socket.getLocalPort();
        }
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                hostname: gw.test
                internalDomains: [example.com]
                smtp: {port: 0}
                pipeline: {config: relay.xml}
                admin: {port: 0, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                delivery:
                  routes:
                    partner.example: {host: 127.0.0.1, port: %d, starttls: OFF}
                logging: {format: json}
                """.formatted(deadHop));
        Process process = start(config);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            String ready = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("gateway ready: ")) { // the command's own output, not a log line
                    ready = line;
                    break;
                }
            }
            assertThat(ready).isNotNull();
            Matcher smtp = Pattern.compile("smtp 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertThat(smtp.find()).isTrue();
            MainTest.Result sent = MainTest.run("send", "--server", "127.0.0.1:" + smtp.group(1),
                    "--from", "bob@example.com", "--to", "alice@example.com,carol@partner.example");
            assertThat(sent.code()).as(sent.err()).isZero();

            List<com.fasterxml.jackson.databind.JsonNode> events = new ArrayList<>();
            java.util.Set<String> outcomes = new java.util.HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!outcomes.containsAll(List.of("queued", "delivered", "deferred")) && System.nanoTime() < deadline) {
                String line = out.readLine();
                assertThat(line).isNotNull();
                com.fasterxml.jackson.databind.JsonNode event = json.readTree(line); // every line is one object
                assertThat(event.isObject()).as(line).isTrue();
                events.add(event);
                if (event.has("outcome")) {
                    outcomes.add(event.get("outcome").asText());
                }
            }
            assertThat(outcomes).contains("queued", "delivered", "deferred");
            com.fasterxml.jackson.databind.JsonNode deferred = events.stream()
                    .filter(e -> "deferred".equals(e.path("outcome").asText())).findFirst().orElseThrow();
            assertThat(deferred.path("stage").asText()).isEqualTo("delivery");
            assertThat(deferred.path("queueId").asText()).isNotBlank().isNotEqualTo("-");
            assertThat(deferred.path("message").asText()).startsWith("deferred to=<carol@partner.example>");
            assertThat(deferred.path("level").asText()).isEqualTo("INFO");
            assertThat(deferred.has("@timestamp")).isTrue();
            com.fasterxml.jackson.databind.JsonNode queued = events.stream()
                    .filter(e -> "queued".equals(e.path("outcome").asText())).findFirst().orElseThrow();
            assertThat(queued.path("stage").asText()).isEqualTo("smtp");
            assertThat(queued.path("queueId").asText()).isNotBlank().isNotEqualTo("-");
        } finally {
            process.destroyForcibly();
        }
    }
}
