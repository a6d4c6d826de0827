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
import org.smimegw.gateway.spool.SpoolEntry;

/** {@code spool requeue ID... | --all AREA}: the pipeline runs the entries again (as {@code postsuper -r}). */
@Command(name = "requeue", mixinStandardHelpOptions = true,
        description = "Run spool entries through the pipeline again, as new: from any area (error, corrupt once "
                + "repaired, quarantine, outgoing, incoming); a running gateway picks them up within seconds.")
public final class SpoolRequeueCommand implements Callable<Integer> {

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
        List<String> targets = SpoolDeleteCommand.targets(admin, ids, all);
        for (String id : targets) {
            try {
                SpoolEntry entry = admin.requeue(id);
                spec.commandLine().getOut().println("requeued " + entry.id() + " (" + entry.envelope().recipients()
                        .size() + " recipient(s)); the pipeline runs it again");
            } catch (SpoolAdmin.NoSuchEntryException e) {
                throw new CliException(e.getMessage());
            }
        }
        return 0;
    }
}
