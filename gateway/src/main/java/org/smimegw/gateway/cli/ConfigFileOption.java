package org.smimegw.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import picocli.CommandLine.Option;

import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * {@code -c/--config FILE} for every command that reads the gateway configuration. Without the option the file is
 * {@code $SMIME_GATEWAY_CONFIG} (the launcher {@code bin/smime-gateway} sets it to its installation's
 * {@code conf/gateway.yaml}), else {@code conf/gateway.yaml} in the working directory. One rule for all commands;
 * each decides how much it needs:
 * <ul>
 *   <li>{@link #load()} for commands that work on the gateway's state ({@code run}, {@code certs},
 *   {@code quarantine}, {@code policy explain}): the file must exist, so that a command started in the wrong
 *   directory stops instead of working on (or creating) state there;</li>
 *   <li>{@link #loadOrDefaults(ConfigLoader)} for commands that only need settings ({@code reload},
 *   {@code policy check}): a missing default file means the built-in defaults.</li>
 * </ul>
 */
public final class ConfigFileOption {
    /** The environment variable naming the default configuration file. */
    public static final String ENVIRONMENT_VARIABLE = "SMIME_GATEWAY_CONFIG";
    public static final Path DEFAULT = Path.of("conf", "gateway.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Gateway configuration (default: $" + ENVIRONMENT_VARIABLE + ", else conf/gateway.yaml).")
    Path file;

    /** The file named by the option, else by the environment variable, else {@code conf/gateway.yaml}. */
    public Path path() {
        if (file != null) {
            return file;
        }
        String fromEnvironment = System.getenv(ENVIRONMENT_VARIABLE);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? Path.of(fromEnvironment) : DEFAULT;
    }

    /** The file to read: the named one, else the default when it exists; empty means "use the built-in defaults". */
    public Optional<Path> file() {
        Path path = path();
        return file != null || Files.exists(path) ? Optional.of(path) : Optional.empty();
    }

    /** The configuration, every section checked; the file must exist. */
    public GatewayConfig load() throws ConfigFileException {
        return load(new ConfigLoader());
    }

    /** The configuration read by {@code loader} (which decides what is checked); the file must exist. */
    public GatewayConfig load(ConfigLoader loader) throws ConfigFileException {
        Path path = path();
        if (file == null && !Files.exists(path)) {
            throw new ConfigFileException(path.toAbsolutePath().normalize().toString(),
                    "file not found (give the gateway's configuration with --config FILE)");
        }
        return loader.load(path);
    }

    /** The configuration read by {@code loader}, or the built-in defaults when no file is named and the default is
     * missing (relative paths then resolve against the working directory). */
    public GatewayConfig loadOrDefaults(ConfigLoader loader) throws ConfigFileException {
        Optional<Path> named = file();
        return named.isPresent() ? loader.load(named.get())
                : GatewayConfig.defaults().resolvedAgainst(Path.of("").toAbsolutePath());
    }
}
