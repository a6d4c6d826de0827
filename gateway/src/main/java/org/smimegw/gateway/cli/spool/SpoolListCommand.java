package org.smimegw.gateway.cli.spool;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.smimegw.gateway.spool.SpoolArea;

/**
 * {@code spool list [AREA...] [--address A] [--id I] [--older-than AGE] [--newer-than AGE]}: one line per entry (as
 * {@code mailq}), every area unless named; the search the console's queue page offers.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List spool entries, oldest first: area, id, received, sender, recipients, reason.")
public final class SpoolListCommand implements Callable<Integer> {

    @Parameters(paramLabel = "AREA", arity = "0..*",
            description = "incoming, outgoing, error, quarantine, corrupt (default: all).")
    List<String> areas = new ArrayList<>();

    @Option(names = "--address", paramLabel = "TEXT", description = "Only entries whose sender or a recipient "
            + "contains TEXT (case-insensitive).")
    String address;

    @Option(names = "--id", paramLabel = "TEXT", description = "Only entries whose queue id contains TEXT.")
    String id;

    @Option(names = "--older-than", paramLabel = "AGE", description = "Only entries received at least AGE ago "
            + "(30m, 2h, 3d, PT1H).")
    String olderThan;

    @Option(names = "--newer-than", paramLabel = "AGE", description = "Only entries received less than AGE ago.")
    String newerThan;

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
        SpoolAdmin.Query query;
        try {
            query = new SpoolAdmin.Query(Set.copyOf(selected), address, id, SpoolAdmin.Query.age(olderThan),
                    SpoolAdmin.Query.age(newerThan));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        List<SpoolAdmin.Item> items = SpoolCommand.open(config).search(query);
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
