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
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", config.toString()));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
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
}
