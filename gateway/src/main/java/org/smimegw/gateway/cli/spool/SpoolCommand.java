package org.smimegw.gateway.cli.spool;

import java.nio.file.Path;
import java.time.Clock;

import com.codahale.metrics.MetricRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.cli.ExistingState;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.delivery.DsnFactory;
import org.smimegw.gateway.delivery.DsnMailBouncer;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolException;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * {@code spool list [AREA...] | show ID | requeue ID... | bounce ID... | delete ID...}: every area of the spool under
 * {@code stateDir}, as Postfix's {@code mailq} and {@code postsuper} show and change the queue. Works whether the
 * gateway runs or not. The operations are {@link SpoolAdmin}'s.
 */
@Command(name = "spool", mixinStandardHelpOptions = true,
        description = "The spool (incoming, outgoing, error, quarantine, corrupt): list, show, requeue (the "
                + "pipeline runs it again), bounce (back to the sender), delete.",
        subcommands = {SpoolListCommand.class, SpoolShowCommand.class, SpoolRequeueCommand.class,
                SpoolBounceCommand.class, SpoolDeleteCommand.class})
public final class SpoolCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The operations on the spool the configuration names; the spool must exist (nothing is created). Bounces are
     * queued in INCOMING, where a running gateway finds them within seconds.
     */
    public static SpoolAdmin open(ConfigFileOption option) throws ConfigFileException, CliException, SpoolException {
        GatewayConfig config = option.load();
        Path root = ExistingState.spool(config, option);
        Clock clock = Clock.systemUTC();
        FileSpool spool = FileSpool.attach(root, clock, new MetricRegistry());
        return new SpoolAdmin(spool, new DsnMailBouncer(spool, new DsnFactory(clock), config.reportingMta(), clock,
                entry -> { }), clock);
    }

    /** An area by its directory name (incoming, outgoing, error, quarantine, corrupt), or a one-line error. */
    static SpoolArea area(String name) throws CliException {
        return SpoolArea.named(name).orElseThrow(() -> new CliException("unknown spool area '" + name + "' ("
                + SpoolArea.names() + ")"));
    }
}
