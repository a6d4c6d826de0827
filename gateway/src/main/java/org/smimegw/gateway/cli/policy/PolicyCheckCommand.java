package org.smimegw.gateway.cli.policy;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.cli.ExitCodes;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.PolicySettings;
import org.smimegw.gateway.reload.PolicyHolder;
import org.smimegw.mailets.policy.PolicyLoader;
import org.smimegw.mailets.policy.PolicySet;

/** {@code policy check [FILE]}: validates a policy file (default: the configuration's policy.file). */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a policy file; prints FILE:LINE: REASON and exits 1 when it would be refused.")
public final class PolicyCheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..1",
            description = "Policy file (default: policy.file of the configuration, conf/policy.yaml).")
    Path file;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PolicySettings settings = file != null ? PolicySettings.required(file)
                : PolicySettings.required(config.loadOrDefaults(new ConfigLoader()).policy().file());
        // a refused file is a ConfigFileException: "config error: FILE:LINE: reason", exit 3 (as for run)
        PolicySet policy = new PolicyHolder(new PolicyLoader(), settings).read();
        spec.commandLine().getOut().println(settings.file() + ": ok, " + PolicyHolder.describe(policy));
        return ExitCodes.OK;
    }
}
