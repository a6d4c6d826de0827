package org.smimegw.gateway.cli.certs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import picocli.CommandLine;

/** Runs {@code certs} subcommands in-process with a given environment and prints what they printed (for the log). */
final class CertsCli {
    record Run(int exit, String out, String err) {
    }

    private final Map<String, String> environment;

    CertsCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CertsCommand(environment::get, Clock.systemUTC()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        System.out.println("$ certs " + String.join(" ", args) + "   # exit " + exit + "\n" + out + err);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code certs COMMAND --config CONFIG REST...}. */
    Run certs(Path config, String command, String... rest) {
        String[] args = new String[rest.length + 3];
        args[0] = command;
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(rest, 0, args, 3, rest.length);
        return run(args);
    }
}
