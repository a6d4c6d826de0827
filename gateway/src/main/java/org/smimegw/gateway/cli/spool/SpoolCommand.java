package org.smimegw.gateway.cli.spool;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

import com.codahale.metrics.MetricRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.cli.ExistingState;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolException;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * {@code spool list [AREA...] | show ID | requeue ID... | delete ID...}: every area of the spool under
 * {@code stateDir}, as Postfix's {@code mailq} and {@code postsuper} show and change the queue. Works whether the
 * gateway runs or not. The operations are {@link SpoolAdmin}'s.
 */
@Command(name = "spool", mixinStandardHelpOptions = true,
        description = "The spool (incoming, outgoing, error, quarantine, corrupt): list, show, requeue (the "
                + "pipeline runs it again), delete.",
        subcommands = {SpoolListCommand.class, SpoolShowCommand.class, SpoolRequeueCommand.class,
                SpoolDeleteCommand.class})
public final class SpoolCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The operations on the spool the configuration names; the spool must exist (nothing is created). */
    public static SpoolAdmin open(ConfigFileOption option) throws ConfigFileException, CliException, SpoolException {
        Path root = ExistingState.spool(option.load(), option);
        Clock clock = Clock.systemUTC();
        return new SpoolAdmin(FileSpool.attach(root, clock, new MetricRegistry()), clock);
    }

    /** An area by its directory name (incoming, outgoing, error, quarantine, corrupt), or a one-line error. */
    static SpoolArea area(String name) throws CliException {
        for (SpoolArea area : SpoolArea.values()) {
            if (area.directoryName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return area;
            }
        }
        throw new CliException("unknown spool area '" + name + "' (incoming, outgoing, error, quarantine, corrupt)");
    }
}
