package org.smimegw.gateway.cli.spool;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.spool.SpoolArea;

/** {@code spool list [AREA...]}: one line per entry (as {@code mailq}), every area unless named. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List spool entries, oldest first: area, id, received, sender, recipients, reason.")
public final class SpoolListCommand implements Callable<Integer> {

    @Parameters(paramLabel = "AREA", arity = "0..*",
            description = "incoming, outgoing, error, quarantine, corrupt (default: all).")
    List<String> areas = new ArrayList<>();

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<SpoolArea> selected = new ArrayList<>();
        for (String name : areas) {
            selected.add(SpoolCommand.area(name));
        }
        if (selected.isEmpty()) {
            selected.addAll(List.of(SpoolArea.values()));
        }
        SpoolAdmin admin = SpoolCommand.open(config);
        List<SpoolAdmin.Item> items = new ArrayList<>();
        for (SpoolArea area : selected) {
            items.addAll(admin.list(area));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (items.isEmpty()) {
            out.println("no entries in " + String.join(", ", selected.stream().map(SpoolArea::directoryName).toList()));
            return 0;
        }
        SpoolEntries.table(out, items, true);
        out.printf("%d entr%s%n", items.size(), items.size() == 1 ? "y" : "ies");
        return 0;
    }
}
