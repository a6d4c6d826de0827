package org.smimegw.gateway.cli.policy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code policy explain | check}: the S/MIME policy from the command line. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "The S/MIME policy: explain what applies to a sender/recipient pair, check a policy file.",
        subcommands = {PolicyExplainCommand.class, PolicyCheckCommand.class})
public final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
