package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.mailets.config.ConfigFileException;

class ReloadablePolicyTest {

    @Test
    void validFileIsSwappedInAndInvalidOneIsRefusedKeepingTheRunningPolicy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "domains:\n  partner.example:\n    RequireEncryptedSMIMEMessages: true\n");
        ReloadablePolicy policy = new ReloadablePolicy(new PolicyLoader(), file);
        PolicySet first = policy.current();
        assertThat(first.resolveOutbound("a@example.com", "b@partner.example").requireEncrypted()).isTrue();

        Files.writeString(file, "domains:\n  partner.example:\n    RequireEncryptedSMIMEMessages: false\n");
        policy.reload();
        assertThat(policy.current()).isNotSameAs(first);
        assertThat(policy.current().resolveOutbound("a@example.com", "b@partner.example").requireEncrypted()).isFalse();

        PolicySet running = policy.current();
        Files.writeString(file, "domains:\n  partner.example:\n    RequireEncryptedSMIMEMessages: perhaps\n");
        assertThatThrownBy(policy::reload).isInstanceOf(ConfigFileException.class)
                .hasMessage(file + ":3: unknown value 'perhaps' for RequireEncryptedSMIMEMessages: expected true or false");
        assertThat(policy.current()).isSameAs(running);
    }

    @Test
    void invalidFileFailsTheStart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), "global:\n  Bogus: 1\n");
        assertThatThrownBy(() -> new ReloadablePolicy(new PolicyLoader(), file))
                .isInstanceOf(ConfigFileException.class).hasMessage(file + ":2: unknown setting 'Bogus'");
    }
}
