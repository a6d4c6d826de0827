package org.smimegw.gateway.cli.spool;

import java.util.ArrayList;
import java.util.List;
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

/** {@code spool bounce ID... | --all AREA}: back to the sender as failed, then removed (as {@code exim -Mg}). */
@Command(name = "bounce", mixinStandardHelpOptions = true,
        description = "Return spool entries to their senders as failed (one delivery status notification each, "
                + SpoolAdmin.BOUNCE_STATUS + " '" + SpoolAdmin.BOUNCE_DIAGNOSTIC + "'; none for the null sender), "
                + "then delete them; a running gateway sends the notifications within seconds.")
public final class SpoolBounceCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Queue ids (from 'spool list').")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", paramLabel = "AREA", description = "Every entry of this area.")
    String all;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SpoolAdmin admin = SpoolCommand.open(config);
        for (String id : SpoolDeleteCommand.targets(admin, ids, all)) {
            try {
                spec.commandLine().getOut().println(admin.bounce(id).summary());
            } catch (SpoolAdmin.NoSuchEntryException e) {
                throw new CliException(e.getMessage());
            }
        }
        return 0;
    }
}
