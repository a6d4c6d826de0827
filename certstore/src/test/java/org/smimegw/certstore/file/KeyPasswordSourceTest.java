package org.smimegw.certstore.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPasswordSourceTest {

    @TempDir
    Path dir;

    @Test
    void fromEnvironmentVariable() {
        KeyPasswordSource s = new KeyPasswordSource("env:GW_KEY_PASS", Map.of("GW_KEY_PASS", "pa55")::get, false, dir);
        assertThat(s.password()).containsExactly('p', 'a', '5', '5');
    }

    @Test
    void missingEnvironmentVariableIsAnError() {
        KeyPasswordSource s = new KeyPasswordSource("env:NOPE", Map.<String, String>of()::get, false, dir);
        assertThatThrownBy(s::password).hasMessageContaining("NOPE").hasMessageContaining("not set");
    }

    @Test
    void fromFileFirstLineRelativeToBase() throws Exception {
        Files.writeString(dir.resolve("pass.txt"), "from-file\nignored\n");
        KeyPasswordSource s = new KeyPasswordSource("file:pass.txt", k -> null, false, dir);
        assertThat(new String(s.password())).isEqualTo("from-file");
    }

    @Test
    void missingDefaultFileIsGeneratedWithOwnerOnlyPermissionsAndThenReused() throws Exception {
        KeyPasswordSource s = new KeyPasswordSource("file:var/certstore/keystore.pass", k -> null, true, dir);
        String generated = new String(s.password());
        Path file = dir.resolve("var/certstore/keystore.pass");
        assertThat(generated).hasSizeGreaterThanOrEqualTo(40);
        assertThat(Files.readString(file).strip()).isEqualTo(generated);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        KeyPasswordSource again = new KeyPasswordSource("file:var/certstore/keystore.pass", k -> null, true, dir);
        assertThat(new String(again.password())).isEqualTo(generated);
    }

    @Test
    void missingNonDefaultFileIsAnErrorNotANewPassword() {
        KeyPasswordSource s = new KeyPasswordSource("file:elsewhere.pass", k -> null, false, dir);
        assertThatThrownBy(s::password).hasMessageContaining("does not exist");
        assertThat(dir.resolve("elsewhere.pass")).doesNotExist();
    }

    @Test
    void aLiteralPasswordIsRefusedAsReference() {
        assertThatThrownBy(() -> new KeyPasswordSource("hunter2", k -> null, false, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
    }
}
