package org.smimegw.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.smimegw.gateway.config.GatewayConfig;

/**
 * The gateway's state — the certificate store, the spool — as a command that only reads or changes it finds it:
 * where the configuration puts it, and already there. Such a command never creates state where it happens to run;
 * it refuses with one line naming the place and the configuration, exit {@link ExitCodes#NO_STATE}. (The gateway
 * creates both on start; {@code certs import-*} and {@code certs demo-setup} create the store.)
 */
public final class ExistingState {
    private ExistingState() {
    }

    /** The certificate store's directory; it must exist. */
    public static Path certificateStore(GatewayConfig config, ConfigFileOption option) throws CliException {
        return existing(config.certstoreDirectory(), "certificate store", "certstore.directory", option,
                "import into it with certs import-trust, import-user or demo-setup, or start the gateway");
    }

    /** The spool directory ({@code stateDir/spool}); it must exist. */
    public static Path spool(GatewayConfig config, ConfigFileOption option) throws CliException {
        return existing(config.stateDir().resolve("spool"), "spool", "stateDir", option,
                "the gateway creates it when it starts");
    }

    private static Path existing(Path directory, String what, String key, ConfigFileOption option, String hint)
            throws CliException {
        if (!Files.isDirectory(directory)) {
            throw new CliException("no " + what + " at " + directory + " (" + key + " of "
                    + option.path().toAbsolutePath().normalize() + "); " + hint, ExitCodes.NO_STATE, null);
        }
        return directory;
    }
}
