package org.smimegw.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_INVALID;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_ONE_USER;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_TWO_USERS;
import static org.smimegw.gateway.reload.ReloadFixture.pipeline;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.cli.Main;

/** {@code smime-gateway run} in its own JVM reloads on SIGHUP, and keeps running on an invalid file. */
@DisabledOnOs(OS.WINDOWS)
class SighupReloadProcessTest {
    @TempDir
    Path dir;

    @Test
    void sighupReloadsAValidPolicyAndRefusesAnInvalidOneWhileTheGatewayKeepsRunning() throws Exception {
        Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline("1", ""));
        Files.writeString(dir.resolve("policy.yaml"), POLICY_ONE_USER);
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                hostname: gw.test
                internalDomains: [example.com]
                smtp: {port: 0}
                pipeline: {config: mailetcontainer.xml}
                admin: {port: 0, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                policy: {file: policy.yaml}
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--config", config.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("reader failed: " + e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String ready = waitForLine(lines, "gateway ready: ");
            Matcher smtp = Pattern.compile("smtp 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertThat(smtp.find()).isTrue();

            Files.writeString(dir.resolve("policy.yaml"), POLICY_TWO_USERS);
            hangUp(process);
            assertThat(waitForLine(lines, "reload done: ")).contains("2 user(s)");

            Files.writeString(dir.resolve("policy.yaml"), POLICY_INVALID);
            hangUp(process);
            assertThat(waitForLine(lines, "reload refused")).contains("policy.yaml:3: ")
                    .contains("RequireSignedSmimeMessages");

            assertThat(process.isAlive()).isTrue();
            ReloadFixture.send(new InetSocketAddress("127.0.0.1", Integer.parseInt(smtp.group(1))),
                    "bob@example.net", "alice@example.com", "after sighup");
        } finally {
            process.toHandle().destroy(); // SIGTERM: graceful stop
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void hangUp(Process process) throws Exception {
        Process kill = new ProcessBuilder(List.of("kill", "-HUP", Long.toString(process.pid()))).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static String waitForLine(BlockingQueue<String> lines, String marker) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            seen.append(line).append('\n');
            if (line.contains(marker)) {
                return line;
            }
        }
        throw new AssertionError("no line with '" + marker + "' in the child's output:\n" + seen);
    }
}
