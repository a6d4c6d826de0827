package org.smimegw.gateway.cli.quarantine;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

import org.smimegw.gateway.config.ConfigException;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;

/** {@code --config FILE}: the gateway configuration a command reads (default conf/gateway.yaml, may be missing). */
public final class GatewayConfigOption {
    static final Path DEFAULT = Path.of("conf", "gateway.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Gateway configuration (default: conf/gateway.yaml; its defaults when that does not exist).")
    Path file;

    /** The configuration: the named file (which must exist), else conf/gateway.yaml if present, else defaults. */
    public GatewayConfig load() throws ConfigException {
        if (file == null && !Files.exists(DEFAULT)) {
            return GatewayConfig.defaults().resolvedAgainst(Path.of("").toAbsolutePath());
        }
        return new ConfigLoader().load(file == null ? DEFAULT : file);
    }
}
