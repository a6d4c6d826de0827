package org.smimegw.gateway.cli.quarantine;

import java.nio.file.Path;
import java.time.Clock;

import com.codahale.metrics.MetricRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.cli.ExistingState;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolException;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * {@code quarantine list | show ID | release ID | delete ID}: mail held by policy in the spool's QUARANTINE area
 * (under {@code stateDir} of the configuration). Works whether the gateway runs or not.
 */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = "Mail held by policy: list, show, release (the pipeline runs it again), delete.",
        subcommands = {QuarantineListCommand.class, QuarantineShowCommand.class, QuarantineReleaseCommand.class,
                QuarantineDeleteCommand.class})
public final class QuarantineCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The quarantine of the spool the configuration names; the configuration file and the spool must exist. */
    static QuarantineArea open(ConfigFileOption option) throws ConfigFileException, CliException, SpoolException {
        Path root = ExistingState.spool(option.load(), option);
        Clock clock = Clock.systemUTC();
        return new QuarantineArea(FileSpool.attach(root, clock, new MetricRegistry()), clock);
    }
}
