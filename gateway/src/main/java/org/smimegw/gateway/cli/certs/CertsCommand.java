package org.smimegw.gateway.cli.certs;

import java.time.Clock;
import java.util.function.Function;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code certs}: the certificate store from the command line. Register it as a subcommand of the gateway's main
 * command ({@code new CertsCommand()}); subcommands read the {@code certstore:} section of {@code --config}.
 * Exit codes ({@link org.smimegw.gateway.cli.ExitCodes}): 0 done, 1 failed (one line on stderr; also {@code verify}:
 * the certificate is not valid, and an import that imported nothing), 2 usage error, 3 configuration error.
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Manage the certificate store: trust collection, users' certificates and keys, CRLs.",
        subcommands = {ImportTrustCommand.class, ImportUserCommand.class, ImportCrlCommand.class, ListCommand.class,
                ShowCommand.class, VerifyCommand.class, RemoveCommand.class, DemoSetupCommand.class,
                EnrollTokenCommand.class, PublishCommand.class})
public final class CertsCommand implements Runnable {

    private final Function<String, String> environment;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    /** The command as the gateway runs it: the process environment and the system clock. */
    public CertsCommand() {
        this(System::getenv, Clock.systemUTC());
    }

    /** For tests: environment variables and time come from the caller. */
    public CertsCommand(Function<String, String> environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    Function<String, String> environment() {
        return environment;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
