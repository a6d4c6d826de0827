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
import org.smimegw.gateway.spool.SpoolException;

/** {@code spool delete ID... | --all AREA}: removes entries for good (as {@code postsuper -d}). */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete spool entries for good, from any area (a corrupt one too).")
public final class SpoolDeleteCommand implements Callable<Integer> {

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
        for (String id : targets(admin, ids, all)) {
            try {
                spec.commandLine().getOut().println("deleted " + admin.delete(id).id());
            } catch (SpoolAdmin.NoSuchEntryException e) {
                throw new CliException(e.getMessage());
            }
        }
        return 0;
    }

    /** The ids named, or every id of the area named with --all; one of the two, or a one-line error. */
    static List<String> targets(SpoolAdmin admin, List<String> ids, String all) throws CliException, SpoolException {
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
