package org.smimegw.gateway.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Command;

/**
 * Every subcommand of {@code smime-gateway}, in help order. To add one: write a picocli {@code @Command} class
 * (a {@code Callable<Integer>} or {@code Runnable}; a group such as {@code certs} or {@code policy} is a command
 * with its own subcommands) and append it here.
 */
public final class Subcommands {
    private Subcommands() {
    }

    public static final List<Class<?>> ALL = List.of(
            RunCommand.class,
            SendCommand.class,
            HashPasswordCommand.class,
            ReloadCommand.class,
            org.smimegw.gateway.cli.certs.CertsCommand.class,
            org.smimegw.gateway.cli.policy.PolicyCommand.class,
            org.smimegw.gateway.cli.quarantine.QuarantineCommand.class,
            org.smimegw.gateway.cli.spool.SpoolCommand.class

    );

    /**
     * The subcommands a command line needs: only the one it names when its first word is a subcommand's name (picocli
     * reflects over every registered command tree before the named one runs: about 0.1 s of each gateway start,
     * docs/perf.md), else all of them, for the top-level help and its suggestions on a misspelt name.
     */
    public static List<Class<?>> needed(String[] args) {
        String first = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        if (first == null || Arrays.stream(args).takeWhile(a -> !a.equals(first)).anyMatch(a -> !isTopLevelFlag(a))) {
            return ALL;
        }
        return ALL.stream().filter(c -> names(c).contains(first)).findFirst().<List<Class<?>>>map(List::of)
                .orElse(ALL);
    }

    /** Options {@link Main} takes before a subcommand's name that do not take a value. */
    private static boolean isTopLevelFlag(String arg) {
        return arg.equals("-v") || arg.equals("--verbose");
    }

    private static List<String> names(Class<?> subcommand) {
        Command command = subcommand.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(command.aliases()));
        names.add(command.name());
        return names;
    }
}
