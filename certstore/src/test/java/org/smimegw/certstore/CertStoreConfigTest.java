package org.smimegw.certstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.testing.TestPki;

/** Where the store's key password comes from, with the paths spelled as a configuration file beside the state has them. */
class CertStoreConfigTest {
    @TempDir
    Path dir;

    @Test
    void theStoresOwnPasswordFileIsGeneratedHoweverItsPathIsSpelled() throws Exception {
        Path base = Files.createDirectories(dir.resolve("conf"));
        CertStoreConfig relative = new CertStoreConfig("../var/certstore", "file:../var/certstore/keystore.pass", null);
        CertStoreConfig absolute = new CertStoreConfig(dir.resolve("var/certstore").toString(),
                "file:" + dir.resolve("var/certstore/keystore.pass"), null);
        assertThat(relative.generatesKeyPassword(base)).isTrue();
        assertThat(absolute.generatesKeyPassword(base)).isTrue();
        assertThat(CertStoreConfig.defaults().generatesKeyPassword(base)).isTrue();

        TestPki.Issued alice = TestPki.create("Config").issue("alice@example.com");
        FileCertificateStore store = FileCertificateStore.fromConfig(relative, base, name -> null);
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());

        assertThat(store.directory()).isEqualTo(dir.resolve("var/certstore"));
        assertThat(dir.resolve("var/certstore/keystore.pass")).isRegularFile();
        assertThat(FileCertificateStore.fromConfig(absolute, base, name -> null).keys("alice@example.com")).hasSize(1);
    }

    @Test
    void anyOtherPasswordFileMustExist() throws Exception {
        Path base = Files.createDirectories(dir.resolve("conf"));
        CertStoreConfig elsewhere = new CertStoreConfig("../var/certstore", "file:store.pass", null);
        assertThat(elsewhere.generatesKeyPassword(base)).isFalse();
        assertThat(new CertStoreConfig(null, "env:STORE_PASSWORD", null).generatesKeyPassword(base)).isFalse();

        TestPki.Issued bob = TestPki.create("Config").issue("bob@example.com");
        FileCertificateStore store = FileCertificateStore.fromConfig(elsewhere, base, name -> null);
        assertThatThrownBy(() -> store.addUserKey(bob.privateKey(), bob.certificate(), bob.chain()))
                .hasMessageContaining("does not exist");
        assertThat(base.resolve("store.pass")).doesNotExist();
    }
}
