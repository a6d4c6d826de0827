package org.smimegw.certstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {

    @TempDir
    Path tmp;

    private final SecretReferences secrets = new SecretReferences(Map.of("LDAP_PW", "from-env")::get);

    @Test
    void resolvesEnvironmentAndFirstLineOfFile() throws Exception {
        assertThat(secrets.resolve("k", "env:LDAP_PW")).containsExactly("from-env".toCharArray());
        Path file = Files.writeString(tmp.resolve("pw"), "s3cret\r\nsecond line\n");
        assertThat(secrets.resolve("k", "file:" + file)).containsExactly("s3cret".toCharArray());
        Path noNewline = Files.writeString(tmp.resolve("pw2"), "pa ss");
        assertThat(secrets.resolve("k", "file:" + noNewline)).containsExactly("pa ss".toCharArray());
    }

    @Test
    void refusesPlainValuesAndNamesTheKeyWithoutTheValue() {
        assertThatThrownBy(() -> secrets.resolve("certstore.ldap.bindPassword", "hunter2"))
                .hasMessageContaining("certstore.ldap.bindPassword").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> secrets.resolve("k", "env:MISSING")).hasMessageContaining("MISSING is not set");
        assertThatThrownBy(() -> secrets.resolve("k", "file:" + tmp.resolve("nope")))
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> secrets.resolve("k", null)).hasMessageContaining("not set");
    }
}
