package org.smimegw.gateway.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * Fuzz target: {@link MailetContainerLoader#load} of any bytes as {@code mailetcontainer.xml} (the gateway's own
 * and James's standard mailets and matchers load by name, as in production). Bad input is a
 * {@link ConfigFileException} whose message is one line {@code FILE[:LINE]: REASON}; a finding is any other
 * exception, any Error, or more than 20 s for one input. A container that loads is destroyed again.
 * Inputs: {@code src/test/resources/org/smimegw/gateway/container/MailetContainerLoaderFuzzTestInputs/load}.
 */
class MailetContainerLoaderFuzzTest {
    private static Path dir;
    private static ContainerFixture fixture;

    @BeforeAll
    static void fixture() throws IOException {
        dir = Files.createTempDirectory("container-fuzz");
        fixture = new ContainerFixture(dir);
    }

    @AfterAll
    static void remove() throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void load(byte[] xml) throws IOException {
        Path file = Files.write(dir.resolve("mailetcontainer.xml"), xml);
        MailetContainer container;
        try {
            container = fixture.loader.load(file);
        } catch (ConfigFileException e) {
            assertThat(e.getMessage()).startsWith(file + ":").doesNotContain("\n", "\r");
            return;
        }
        assertThat(container.processorNames()).isNotEmpty();
        container.destroy();
    }
}
