package org.smimegw.gateway.cli.quarantine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.CliException;

/**
 * {@code quarantine list | show ID | release ID | delete ID}: mail held by policy in the spool's QUARANTINE area
 * (under {@code stateDir} of the configuration), through {@link SpoolAdmin} as the {@code spool} commands. Works
 * whether the gateway runs or not.
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

    /** The quarantine's own words for an id that is not there. */
    static CliException unknown(String id) {
        return new CliException("no quarantined message with id '" + id.trim() + "'");
    }
}
