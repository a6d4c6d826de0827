package org.smimegw.mailets.policy;

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
 * Fuzz target: {@link PolicyLoader#load} of any bytes as {@code policy.yaml}, then resolving a policy for a few
 * addresses in both directions. Bad input is a {@link ConfigFileException} whose message is one line
 * {@code FILE[:LINE]: REASON}; a finding is any other exception, any Error, or more than 20 s for one input.
 * Inputs: {@code src/test/resources/org/smimegw/mailets/policy/PolicyLoaderFuzzTestInputs/load}.
 */
class PolicyLoaderFuzzTest {
    private static final String[] ADDRESSES = {"alice@example.com", "bob@sub.example.com", "carol@partner.example",
        "", "postmaster"};

    private static Path dir;
    private final PolicyLoader loader = new PolicyLoader();

    @BeforeAll
    static void directory() throws IOException {
        dir = Files.createTempDirectory("policy-fuzz");
    }

    @AfterAll
    static void remove() throws IOException {
        Files.deleteIfExists(dir.resolve("policy.yaml"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void load(byte[] yaml) throws IOException {
        Path file = Files.write(dir.resolve("policy.yaml"), yaml);
        PolicySet set;
        try {
            set = loader.load(file);
        } catch (ConfigFileException e) {
            assertThat(e.getMessage()).startsWith(file + ":").doesNotContain("\n", "\r");
            return;
        }
        for (String sender : ADDRESSES) {
            for (String recipient : ADDRESSES) {
                assertThat(set.resolveOutbound(sender, recipient)).isNotNull();
                assertThat(set.resolveInbound(sender, recipient)).isNotNull();
            }
        }
    }
}
