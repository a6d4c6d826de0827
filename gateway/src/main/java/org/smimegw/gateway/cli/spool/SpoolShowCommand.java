package org.smimegw.gateway.cli.spool;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.cli.ConfigFileOption;

/** {@code spool show ID [--body]}: envelope, reason and the message's header (the body only with --body). */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a spool entry, in whichever area it is: envelope, reason, headers (the body only with "
                + "--body).")
public final class SpoolShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Queue id (from 'spool list').")
    String id;

    @Option(names = "--body", description = "Also print the body (the whole message as stored).")
    boolean body;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SpoolAdmin admin = SpoolCommand.open(config);
        try {
            SpoolEntries.show(spec.commandLine().getOut(), admin, admin.find(id), body);
        } catch (SpoolAdmin.NoSuchEntryException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }
}
