package org.smimegw.gateway.cli.policy;

import java.time.Clock;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.app.CertificateServices;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.cli.ExitCodes;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.ExistingState;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.policy.PolicyExplanation;
import org.smimegw.gateway.reload.PolicyHolder;
import org.smimegw.mailets.policy.PolicyLoader;

/**
 * {@code policy explain --from A --to B}: the effective settings for the pair with their origin and what would
 * happen to such a mail now, with the policy file, certificate store and validator the gateway itself would use
 * ({@link CertificateServices#open}: file store, LDAP directory, PKCS#11 token as configured).
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain the policy for mail from A to B: effective settings, where each comes from, and "
                + "what the gateway would do now (certificate, algorithms, sign/encrypt/refuse and why).")
public final class PolicyExplainCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "A", description = "Sender address ('<>' for none).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "B", description = "Recipient address.")
    String to;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    public PolicyExplainCommand() {
        this(Clock.systemUTC());
    }

    /** For tests: "now" (certificate validity) comes from the caller. */
    public PolicyExplainCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        GatewayConfig gatewayConfig = config.load();
        ExistingState.certificateStore(gatewayConfig, config);
        PolicyHolder policy = new PolicyHolder(new PolicyLoader(), gatewayConfig.policy());
        policy.swap(policy.read()); // a refused file: "config error: FILE:LINE: reason", exit 3 (as for run)
        try (CertificateServices certificates = openCertificates(gatewayConfig)) {
            spec.commandLine().getOut().print(new PolicyExplanation(policy, certificates.store(),
                    certificates.validator(), gatewayConfig.internalDomains(), clock).explain(from, to));
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    /** The same composite store (file, LDAP, PKCS#11) and validator the gateway opens at start. */
    private CertificateServices openCertificates(GatewayConfig gatewayConfig) throws CliException {
        try {
            return CertificateServices.open(gatewayConfig.certstore(), gatewayConfig.baseDirectory(), System::getenv,
                    clock);
        } catch (RuntimeException e) {
            throw new CliException("certstore: " + e.getMessage(), ExitCodes.CONFIG, e);
        }
    }
}
