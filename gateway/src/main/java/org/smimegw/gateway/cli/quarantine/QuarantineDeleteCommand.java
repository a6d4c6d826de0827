package org.smimegw.gateway.cli.quarantine;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.spool.SpoolCommand;
import org.smimegw.gateway.spool.SpoolArea;

/** {@code quarantine delete ID}: removes a quarantined mail for good. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a quarantined mail for good.")
public final class QuarantineDeleteCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Queue id (from 'quarantine list').")
    String id;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            spec.commandLine().getOut().println("deleted " + SpoolCommand.open(config).delete(SpoolArea.QUARANTINE, id).id());
        } catch (SpoolAdmin.NoSuchEntryException e) {
            throw QuarantineCommand.unknown(id);
        }
        return 0;
    }
}
