package org.smimegw.gateway.app;

import java.nio.file.Files;
import java.nio.file.Path;

import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;

/**
 * The configuration end-to-end tests start a {@link GatewayApplication} with: host gw.test, example.com internal,
 * state in {@code dir/var}, SMTP and admin on ephemeral ports (loopback may relay), the given pipeline (retried
 * after 1 s), no JMX — plus whatever sections a test adds.
 */
public final class TestGatewayConfig {
    private TestGatewayConfig() {
    }

    /**
     * A pipeline that relays every mail: root hands it to transport, which runs {@code transportMailets} and then
     * {@code RemoteDelivery}; a failing mail goes to the ERROR spool area.
     */
    public static String relayPipeline(String transportMailets) {
        return """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                    </processor>
                    <processor state="transport">
                """ + transportMailets + """
                      <mailet match="All" class="RemoteDelivery"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>
                    </processor>
                  </processors>
                </mailetcontainer>
                """;
    }

    /**
     * Writes {@code mailetcontainer.xml} and {@code gateway.yaml} into {@code dir} and loads them.
     *
     * @param extraYaml further top-level sections (e.g. {@code embeddedMailbox:}, {@code delivery:}, {@code policy:})
     */
    public static GatewayConfig load(Path dir, String pipelineXml, String extraYaml) throws Exception {
        Files.writeString(dir.resolve("mailetcontainer.xml"), pipelineXml);
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, """
                hostname: gw.test
                internalDomains: [example.com]
                stateDir: var
                smtp:
                  port: 0
                  mynetworks: [127.0.0.0/8]
                pipeline:
                  config: mailetcontainer.xml
                  retryDelaySeconds: 1
                admin:
                  port: 0
                  jmx: false
                """ + extraYaml);
        return new ConfigLoader().load(yaml);
    }
}
