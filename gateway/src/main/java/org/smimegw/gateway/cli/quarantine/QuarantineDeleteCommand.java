package org.smimegw.gateway.cli.quarantine;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.spool.SpoolEntry;

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
        SpoolEntry deleted = QuarantineCommand.open(config).delete(id);
        spec.commandLine().getOut().println("deleted " + deleted.id());
        return 0;
    }
}
