package org.smimegw.gateway.cli.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.spool.SpoolException;

/**
 * A {@code spool} command that acts on entries one by one, named by id or as {@code --all AREA}: {@code delete},
 * {@code requeue}, {@code bounce}. Prints one line per entry; an unknown id ends the command with a one-line error.
 */
abstract class SpoolEntryAction implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Queue ids (from 'spool list').")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", paramLabel = "AREA", description = "Every entry of this area.")
    String all;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    /** Does this command's action to entry {@code id}; returns the line that says what was done. */
    abstract String act(SpoolAdmin admin, String id) throws SpoolAdmin.NoSuchEntryException, SpoolException;

    @Override
    public final Integer call() throws Exception {
        SpoolAdmin admin = SpoolCommand.open(config);
        for (String id : targets(admin)) {
            try {
                spec.commandLine().getOut().println(act(admin, id));
            } catch (SpoolAdmin.NoSuchEntryException e) {
                throw new CliException(e.getMessage());
            }
        }
        return 0;
    }

    /** The ids named, or every id of the area named with --all; one of the two, or a one-line error. */
    private List<String> targets(SpoolAdmin admin) throws CliException, SpoolException {
        boolean named = !ids.isEmpty();
        boolean everything = all != null;
        if (named == everything) {
            throw new CliException("give queue ids or --all AREA (one of the two)");
        }
        if (all == null) {
            return ids;
        }
        return admin.list(SpoolCommand.area(all)).stream().map(SpoolAdmin.Item::id).toList();
    }
}
