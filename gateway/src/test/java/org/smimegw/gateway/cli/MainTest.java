package org.smimegw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySubcommand() {
        Result result = run("--help");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("Usage: smime-gateway");
        for (Class<?> subcommand : Subcommands.ALL) {
            String name = subcommand.getAnnotation(picocli.CommandLine.Command.class).name();
            assertThat(result.out()).containsPattern("(?m)^\\s+" + name + "\\s");
        }
        assertThat(result.out()).contains("run").contains("send").contains("reload");
    }

    @Test
    void noArgumentsShowsUsage() {
        Result result = run();
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("Commands:");
    }

    @Test
    void versionNamesTheProduct() {
        Result result = run("--version");
        assertThat(result.code()).isZero();
        assertThat(result.out()).startsWith("smime-gateway ");
    }

    @Test
    void unknownSubcommandIsAOneLineUsageError() {
        Result result = run("sned");
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Unmatched argument").doesNotContain("\tat ");
    }

    @Test
    void aCommandLineNamingASubcommandRegistersOnlyThatOne() {
        assertThat(Subcommands.needed(new String[] {"run", "--config", "x.yaml"})).containsExactly(RunCommand.class);
        assertThat(Subcommands.needed(new String[] {"-v", "spool", "list"}))
                .containsExactly(org.smimegw.gateway.cli.spool.SpoolCommand.class);
        // anything else keeps every subcommand: top-level help, a misspelt name, an option before the name
        assertThat(Subcommands.needed(new String[] {})).isEqualTo(Subcommands.ALL);
        assertThat(Subcommands.needed(new String[] {"--help"})).isEqualTo(Subcommands.ALL);
        assertThat(Subcommands.needed(new String[] {"help", "run"})).isEqualTo(Subcommands.ALL);
        assertThat(Subcommands.needed(new String[] {"sned"})).isEqualTo(Subcommands.ALL);
        assertThat(Subcommands.needed(new String[] {"--help", "run"})).isEqualTo(Subcommands.ALL);
    }

    @Test
    void aSubcommandsHelpIsTheSameWithOnlyItRegistered() {
        StringWriter out = new StringWriter();
        Main.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("run", "--help");
        Result alone = run("run", "--help");
        assertThat(alone.code()).isZero();
        assertThat(alone.out()).isEqualTo(out.toString()).contains("Usage: smime-gateway run");
    }

    @Test
    void runWithBadConfigPrintsFileLineAndReason() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "hostname: gw.example.com\nadmin:\n  port: 99999\n");
        Result result = run("run", "--config", config.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.err().strip())
                .isEqualTo("config error: " + config + ":3: admin.port: 99999 is not a port (0-65535; 0 picks a free port)");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void runWithMissingConfig() {
        Result result = run("run", "--config", dir.resolve("absent.yaml").toString());
        assertThat(result.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.err()).startsWith("config error: ").contains("absent.yaml: file not found");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "admin: [1, 2]\n");
        Result quiet = run("run", "--config", config.toString());
        Result verbose = run("run", "--verbose", "--config", config.toString());
        assertThat(quiet.err()).doesNotContain("\tat ");
        assertThat(verbose.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(verbose.err()).startsWith(quiet.err().strip()).contains("\tat ");
    }
}
