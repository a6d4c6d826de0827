package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.app.StartupException;
import org.smimegw.gateway.config.ConfigLoader;

/** The {@code policy:} section: defaults, bad keys, and a bad policy file stopping the start with file and line. */
class PolicySectionTest {
    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void absentSectionMeansNoFileAndNoRcptCheck() {
        assertThat(PolicySection.from(NullNode.getInstance(), dir)).isEmpty();
    }

    @Test
    void emptySectionTakesTheDefaults() throws Exception {
        PolicySection s = PolicySection.from(json.readTree("{}"), dir).orElseThrow();
        assertThat(s.file()).isEqualTo(dir.resolve("conf/policy.yaml"));
        assertThat(s.rcptCheck()).isTrue();
        assertThat(PolicySection.from(json.readTree("{\"file\":\"p.yaml\",\"rcptCheck\":\"false\"}"), dir)
                .orElseThrow()).isEqualTo(new PolicySection(dir.resolve("p.yaml"), false));
    }

    @Test
    void unknownKeyOrBadValueIsNamed() throws Exception {
        assertThatThrownBy(() -> PolicySection.from(json.readTree("{\"fiel\":\"p.yaml\"}"), dir))
                .hasMessageContaining("policy: unknown key 'fiel'");
        assertThatThrownBy(() -> PolicySection.from(json.readTree("{\"rcptCheck\":\"maybe\"}"), dir))
                .hasMessageContaining("policy.rcptCheck");
    }

    @Test
    void aBadPolicyFileStopsTheStartWithFileLineAndReason() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "global:\n  RequireSignedSmimeMessages: true\n");
        Files.writeString(dir.resolve("gateway.yaml"), """
                internalDomains: [example.com]
                smtp: {port: 0}
                admin: {enabled: false, jmx: false}
                embeddedMailbox: {enabled: false}
                pipeline: {config: mailetcontainer.xml}
                certstore: {directory: certs, keyPassword: file:key-password}
                policy: {file: policy.yaml}
                """);
        Files.writeString(dir.resolve("mailetcontainer.xml"), PolicyFixture.CONTAINER);
        try (GatewayApplication app = new GatewayApplication(new ConfigLoader(dir).load(dir.resolve("gateway.yaml")))) {
            assertThatThrownBy(app::start).isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("policy: ")
                    .hasMessageContaining("policy.yaml:2")
                    .hasMessageContaining("RequireSignedSMIMEMessages");
        }
    }
}
