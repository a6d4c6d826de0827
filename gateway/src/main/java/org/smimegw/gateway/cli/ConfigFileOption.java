package org.smimegw.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import picocli.CommandLine.Option;

import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * {@code -c/--config FILE} for the commands that read the gateway configuration ({@code certs}, {@code policy},
 * {@code quarantine}, {@code reload}): a named file must exist; without the option {@code conf/gateway.yaml} is read
 * when it exists, else the built-in defaults apply. One rule for all of them; each command decides which sections
 * it checks (its {@link ConfigLoader}).
 */
public final class ConfigFileOption {
    public static final Path DEFAULT = Path.of("conf", "gateway.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Gateway configuration (default: conf/gateway.yaml; its defaults when that does not exist).")
    Path file;

    /** The file to read: the named one, else conf/gateway.yaml when it exists; empty means "use the defaults". */
    public Optional<Path> file() {
        if (file != null) {
            return Optional.of(file);
        }
        return Files.exists(DEFAULT) ? Optional.of(DEFAULT) : Optional.empty();
    }

    /** The file as named in messages (the default path when none was given). */
    public Path path() {
        return file != null ? file : DEFAULT;
    }

    /** The configuration, every section checked. */
    public GatewayConfig load() throws ConfigFileException {
        return load(new ConfigLoader());
    }

    /** The configuration read by {@code loader} (which decides what is checked), or the defaults. */
    public GatewayConfig load(ConfigLoader loader) throws ConfigFileException {
        Optional<Path> named = file();
        return named.isPresent() ? loader.load(named.get())
                : GatewayConfig.defaults().resolvedAgainst(Path.of("").toAbsolutePath());
    }
}
