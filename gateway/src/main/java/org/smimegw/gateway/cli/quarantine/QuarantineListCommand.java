package org.smimegw.gateway.cli.quarantine;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.spool.SpoolCommand;
import org.smimegw.gateway.cli.spool.SpoolEntries;
import org.smimegw.gateway.spool.SpoolArea;

/** {@code quarantine list}: one line per quarantined mail: id, received, sender, recipients, reason. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List quarantined mail (oldest first).")
public final class QuarantineListCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<SpoolAdmin.Item> items = SpoolCommand.open(config).list(SpoolArea.QUARANTINE);
        PrintWriter out = spec.commandLine().getOut();
        if (items.isEmpty()) {
            out.println("quarantine is empty");
            return 0;
        }
        SpoolEntries.table(out, items, false);
        out.printf("%d quarantined message(s)%n", items.size());
        return 0;
    }
}
