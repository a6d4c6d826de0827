package org.smimegw.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an admin uses it: unpacked anywhere, its launcher started from another directory
 * finds a Java runtime itself, runs the shipped configuration (ports made free, state in var/ beside conf/), relays
 * a mail to the embedded mailbox; the first run writes the start-up cache, the second runs with it.
 */
class ArchiveIT {
    @TempDir
    Path dir;

    static Path distFile(String glob) throws Exception {
        Path target = Path.of(System.getProperty("dist.dir"));
        try (var files = Files.newDirectoryStream(target, glob)) {
            for (Path f : files) {
                return f;
            }
        }
        throw new AssertionError("no " + glob + " in " + target + " (./mvnw package builds it)");
    }

    /** The environment of a login shell: PATH, HOME, JAVA_HOME of this JVM (a runtime >= 21), nothing else. */
    private Map<String, String> environment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        return env;
    }

    @Test
    void unpackedAnywhereItRunsRelaysAndStartsFromItsCacheTheSecondTime() throws Exception {
        Path archive = distFile("smime-gateway-*.tar.gz");
        Commands.run("tar", "-xzf", archive.toString(), "-C", dir.toString()).expectSuccess();
        Path home;
        try (var top = Files.list(dir)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (String file : List.of("bin/smime-gateway", "bin/find-jdk", "conf/gateway.yaml", "conf/mailetcontainer.xml",
                "conf/policy.yaml", "smime-gateway.jar", "systemd/smime-gateway.service", "THIRD-PARTY.txt")) {
            assertThat(home.resolve(file)).as(file).isRegularFile();
        }
        assertThat(Files.isExecutable(home.resolve("bin/smime-gateway"))).isTrue();
        try (var libs = Files.list(home.resolve("lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("bcpkix-"))
                    .anyMatch(n -> n.startsWith("mailets-"));
        }
        assertThat(Files.readString(home.resolve("THIRD-PARTY.txt"))).contains("Bouncy Castle")
                .contains("Apache License");

        // the admin's edit: free ports, so that this test runs beside anything else
        Path conf = home.resolve("conf/gateway.yaml");
        Files.writeString(conf, Files.readString(conf).replaceAll("(?m)^(\\s+(port|smtpPort|imapPort)): \\d+", "$1: 0"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Map<String, String> env = environment(dir);
        Path cache = dir.resolve("cache");
        env.put("SMIME_GATEWAY_CACHE", cache.toString());
        List<String> run = List.of(home.resolve("bin/smime-gateway").toString(), "run");

        try (GatewayProcess first = GatewayProcess.start(run, elsewhere, env)) {
            assertThat(first.readyLine()).contains("spool " + home.resolve("var/spool"));
            Commands.run(List.of(home.resolve("bin/smime-gateway").toString(), "send", "--server",
                    "127.0.0.1:" + first.smtpPort(), "--from", "bob@example.net", "--to", "alice@example.com",
                    "--subject", "from the archive"), elsewhere, env).expectSuccess();
            assertThat(first.awaitMessage("alice@example.com", "from the archive", Duration.ofSeconds(60)))
                    .contains("X-SMIME-Gateway: processed");
            first.stop();
            System.out.println("first start (no cache): " + first.readyLine());
        }
        try (var nothing = Files.list(elsewhere)) {
            assertThat(nothing).as("nothing in the working directory").isEmpty();
        }
        try (var cached = Files.list(cache)) {
            assertThat(cached.map(p -> p.getFileName().toString()))
                    .as("the start-up cache written when the first run stopped")
                    .anyMatch(n -> n.matches("run-\\d+\\.(aot|jsa)"));
        }

        if (Runtime.version().feature() >= 25) {
            // AOTMode=on: the JVM refuses to start unless it can use the cache
            env.put("GATEWAY_JAVA_OPTS", "-XX:AOTMode=on");
        }
        try (GatewayProcess second = GatewayProcess.start(run, elsewhere, env)) {
            System.out.println("second start (cache): " + second.readyLine());
            second.stop();
        }
    }
}
