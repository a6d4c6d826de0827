package org.smimegw.gateway.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import org.smimegw.mailets.config.ConfigFileException;

/**
 * Reports a failed command as one line on stderr — {@code config error: FILE:LINE: reason},
 * {@code error: reason} — and maps it to an exit code. With {@code --verbose} the stack trace follows.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        if (e instanceof ConfigFileException ce) {
            err.println("config error: " + ce.getMessage());
            code = ExitCodes.CONFIG;
        } else if (e instanceof CliException ce) {
            err.println(cmd.getCommandName() + ": " + ce.getMessage());
            code = ce.exitCode();
        } else {
            err.println(cmd.getCommandName() + ": " + describe(e));
            code = ExitCodes.FAILURE;
        }
        if (verbose(cmd)) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The exception's message, with its cause's when that adds something (e.g. "connection refused"). */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    private static boolean verbose(CommandLine cmd) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        for (ParseResult result = root.getParseResult(); result != null; result = result.subcommand()) {
            if (result.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
