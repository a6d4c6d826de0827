package org.smimegw.gateway.cli.quarantine;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.spool.SpoolCommand;
import org.smimegw.gateway.cli.spool.SpoolEntries;
import org.smimegw.gateway.spool.SpoolArea;

/** {@code quarantine show ID [--body]}: envelope, reason and the message's header (the body only with --body). */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a quarantined mail: envelope, reason, headers (the body only with --body).")
public final class QuarantineShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Queue id (from 'quarantine list').")
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
            SpoolEntries.show(spec.commandLine().getOut(), admin, admin.find(SpoolArea.QUARANTINE, id), body);
        } catch (SpoolAdmin.NoSuchEntryException e) {
            throw QuarantineCommand.unknown(id);
        }
        return 0;
    }
}
