package org.smimegw.gateway.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import org.smimegw.gateway.smtp.PasswordHasher;

/** {@code hash-password}: prints a password hash for {@code smtp.auth.users[].passwordHash}. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Read a password (prompted twice on a terminal, else the first line of stdin) and print "
                + "its hash for smtp.auth.users[].passwordHash.",
                "Example: printf '%s\\n' \"$PASSWORD\" | smime-gateway hash-password"})
public final class HashPasswordCommand implements Callable<Integer> {
    private final InputStream stdin;
    private final boolean useConsole;

    @Spec
    CommandSpec spec;

    /** Reads from the terminal when there is one, else from standard input. */
    public HashPasswordCommand() {
        this(System.in, true);
    }

    HashPasswordCommand(InputStream stdin, boolean useConsole) {
        this.stdin = stdin;
        this.useConsole = useConsole;
    }

    @Override
    public Integer call() throws Exception {
        char[] password = read();
        try {
            if (password.length == 0) {
                throw new CliException("empty password", ExitCodes.USAGE, null);
            }
            spec.commandLine().getOut().println(new PasswordHasher().hash(password));
            return ExitCodes.OK;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * On JDK 22+ {@code System.console()} exists even when stdin is redirected; {@code Console.isTerminal()}
     * (22+, called reflectively since the code targets 21) tells. On 21 a console exists only on a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private char[] read() throws IOException, CliException {
        Console console = useConsole ? System.console() : null;
        if (console != null && isTerminal(console)) {
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null) {
                throw new CliException("no password given");
            }
            boolean same = Arrays.equals(first, second);
            Arrays.fill(second, '\0');
            if (!same) {
                Arrays.fill(first, '\0');
                throw new CliException("the passwords differ");
            }
            return first;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null) {
            throw new CliException("no password on standard input", ExitCodes.USAGE, null);
        }
        return line.toCharArray();
    }
}
