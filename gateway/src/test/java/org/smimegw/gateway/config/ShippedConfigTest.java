package org.smimegw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The conf/ a fresh clone runs with must load as it is and give the documented embedded default. */
class ShippedConfigTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @Test
    void shippedGatewayYamlLoads() throws Exception {
        Path file = REPO.resolve("conf/gateway.yaml");
        assertThat(file).exists();
        GatewayConfig config = new ConfigLoader(REPO).load(file);

        assertThat(config.internalDomains()).containsExactly("example.com");
        assertThat(config.stateDir()).isEqualTo(REPO.resolve("var"));
        assertThat(config.admin()).isEqualTo(new AdminConfig(true, "127.0.0.1", 8025, true, "smime-gateway"));
        assertThat(config.embeddedMailbox()).isEqualTo(new EmbeddedMailboxConfig(true, "127.0.0.1", 3025, 3143));
        assertThat(Files.isRegularFile(REPO.resolve("conf/mailetcontainer.xml"))).isTrue();
    }
}
