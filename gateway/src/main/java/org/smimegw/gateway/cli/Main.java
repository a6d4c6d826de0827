package org.smimegw.gateway.cli;

import java.io.PrintWriter;
import java.util.List;

import org.smimegw.gateway.logging.LogFlush;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code smime-gateway} command line. Subcommands are listed in {@link Subcommands}; errors are one line on
 * stderr and a non-zero exit code (stack traces only with {@code --verbose}).
 */
@Command(name = "smime-gateway", mixinStandardHelpOptions = true, versionProvider = GatewayVersion.class,
        description = "S/MIME mail gateway: SMTP relay -> durable spool -> mailet pipeline -> SMTP delivery.",
        subcommands = CommandLine.HelpCommand.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (the message says why; certs verify: not valid; an import that "
                + "imported nothing)", "2:usage error", "3:configuration error (gateway.yaml, policy.yaml, "
                + "mailetcontainer.xml: FILE:LINE: reason)",
                "4:no certificate store or spool where the configuration puts it"})
public final class Main implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // no subcommand: show what there is
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        quietLoggingUnlessRunning(args);
        MailStreamProviderDefault.apply();
        int exitCode = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        LogFlush.flushAndStop();
        System.exit(exitCode);
    }

    /** Runs the command line with the given output streams; returns the exit code. */
    /**
     * The gateway ({@code run}) logs events to stdout; every other command prints its result there, so its logging
     * is reduced to warnings on stderr, written synchronously. Must run before the first logger is created (logback reads these properties
     * once); an explicit {@code -Dgateway.log.level} / {@code -Dgateway.log.target} wins.
     */
    static void quietLoggingUnlessRunning(String[] args) {
        boolean run = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst()
                .map("run"::equals).orElse(false);
        if (!run) {
            System.setProperty("gateway.log.level", System.getProperty("gateway.log.level", "WARN"));
            System.setProperty("gateway.log.target", System.getProperty("gateway.log.target", "System.err"));
            // synchronous: a warning stays in order with the command's own output
            System.setProperty("gateway.log.appender", System.getProperty("gateway.log.appender", "STDOUT"));
        }
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Subcommands.needed(args)).execute(args);
    }

    /** The configured command line with every registered subcommand. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Subcommands.ALL);
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err, List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> subcommand : subcommands) {
            cli.addSubcommand(subcommand);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new OneLineErrors());
        cli.setParameterExceptionHandler(new OneLineErrors());
        return cli;
    }
}
