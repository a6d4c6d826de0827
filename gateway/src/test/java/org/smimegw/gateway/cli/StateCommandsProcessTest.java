package org.smimegw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state commands ({@code certs}, {@code quarantine}) started as an admin starts them, in their own JVM and
 * working directory: they find the store through the configuration ({@code --config}, else
 * {@code $SMIME_GATEWAY_CONFIG}, else {@code conf/gateway.yaml} here) and, in a directory without one, refuse
 * instead of creating an empty store where they stand.
 */
class StateCommandsProcessTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result run(Path workingDirectory, Map<String, String> environment, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().remove(ConfigFileOption.ENVIRONMENT_VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    private static List<Path> contents(Path directory) throws Exception {
        try (var files = Files.walk(directory)) {
            return files.filter(p -> !p.equals(directory)).toList();
        }
    }

    @Test
    void inADirectoryWithoutConfigurationTheyRefuseAndCreateNothing() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        Result certs = run(elsewhere, Map.of(), "certs", "list");
        assertThat(certs.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(certs.err().strip()).isEqualTo("certs list: error: " + elsewhere.resolve("conf/gateway.yaml")
                + ": file not found (give the gateway's configuration with --config FILE)");

        Result imports = run(elsewhere, Map.of(), "certs", "import-trust", "root.pem");
        assertThat(imports.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(imports.err()).contains(elsewhere.resolve("conf/gateway.yaml") + ": file not found");

        Result quarantine = run(elsewhere, Map.of(), "quarantine", "list");
        assertThat(quarantine.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(quarantine.err().strip()).isEqualTo("config error: " + elsewhere.resolve("conf/gateway.yaml")
                + ": file not found (give the gateway's configuration with --config FILE)");

        assertThat(contents(elsewhere)).as("nothing is created where the commands ran").isEmpty();
    }

    @Test
    void theEnvironmentVariableNamesTheConfigurationAndItsStoreIsUsed() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("install/conf"));
        Files.writeString(conf.resolve("mailetcontainer.xml"), "<mailetcontainer/>");
        Path config = Files.writeString(conf.resolve("gateway.yaml"), "stateDir: ../var\n"
                + "certstore:\n  directory: ../var/certstore\n");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Map<String, String> environment = Map.of(ConfigFileOption.ENVIRONMENT_VARIABLE, config.toString());

        Result none = run(elsewhere, environment, "certs", "list");
        assertThat(none.exit()).isEqualTo(ExitCodes.NO_STATE);
        assertThat(none.err().strip()).startsWith("certs list: error: no certificate store at "
                + dir.resolve("install/var/certstore") + " (certstore.directory of " + config + ")");
        Result quarantine = run(elsewhere, environment, "quarantine", "list");
        assertThat(quarantine.exit()).isEqualTo(ExitCodes.NO_STATE);
        assertThat(quarantine.err().strip()).startsWith("list: no spool at " + dir.resolve("install/var/spool"));

        Files.createDirectories(dir.resolve("install/var/certstore"));
        Result list = run(elsewhere, environment, "certs", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("0 certificate(s)");
        assertThat(contents(elsewhere)).isEmpty();
    }
}
