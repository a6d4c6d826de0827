package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.cache.CachingCertificateSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.app.CertificateServices;
import org.smimegw.gateway.config.ConfigLoader;

/**
 * A reload of the running gateway keeps what the LDAP cache knows while the directory settings stay the same, so a
 * recipient found before the directory went down is still found within {@code cacheStaleIfUnavailableSeconds}
 * after the reload; changed settings ({@code certstore.ldap} re-read on reload) start a new connection and cache.
 * The in-process UnboundID directory listens on 127.0.0.1 and is shut down to make it unavailable.
 */
class LdapCacheReloadTest {

    private static final String BASE = "dc=partner,dc=example";
    private static final String DAVE = "dave@partner.example";
    private static final TestPki PKI = TestPki.create("LDAP reload");
    private static final TestPki.Issued DAVE_CERT = PKI.issue(DAVE);

    @TempDir
    Path dir;
    private InMemoryDirectoryServer directory;
    private SmimeGatewayFixture gateway;
    private String ldapSection;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName("127.0.0.1"),
                0, null));
        directory = new InMemoryDirectoryServer(config);
        directory.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: partner");
        Entry entry = new Entry("cn=Dave," + BASE);
        entry.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
        entry.addAttribute("cn", "Dave");
        entry.addAttribute("sn", "Dave");
        entry.addAttribute("mail", DAVE);
        entry.addAttribute("userCertificate;binary", DAVE_CERT.certificate().getEncoded());
        directory.add(entry);
        directory.startListening();
        // every answer is expired at once (TTL 0), so a lookup asks the directory and, while it is down, gets the
        // last answer only from the stale window
        ldapSection = """
                  ldap:
                    urls: [ "ldap://127.0.0.1:%d" ]
                    baseDn: "%s"
                    filter: "(mail={0})"
                    connectTimeoutMillis: 1000
                    responseTimeoutMillis: 2000
                    retryAfterFailureMillis: 0
                    cacheTtlSeconds: 0
                    cacheStaleIfUnavailableSeconds: 3600
                """.formatted(directory.getListenPort(), BASE);
        SmimeGatewayFixture.writeConfig(dir, ldapSection);
        gateway = SmimeGatewayFixture.start(dir);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        directory.shutDown(true);
    }

    private CertificateServices certificates() {
        return gateway.app().certificates().orElseThrow();
    }

    private CertificateStore store() {
        return certificates().store();
    }

    /** The certstore: section of gateway.yaml after an admin replaced {@code from} by {@code to} in it. */
    private CertStoreConfig settingsWith(String from, String to) throws Exception {
        Path yaml = SmimeGatewayFixture.writeConfig(dir, ldapSection);
        Files.writeString(yaml, Files.readString(yaml).replace(from, to));
        return new ConfigLoader().load(yaml).certstore();
    }

    @Test
    void aReloadWithTheSameSettingsKeepsTheCacheSoTheDirectoryBeingDownIsBridged() throws Exception {
        assertThat(store().encryptionCertificates(DAVE)).singleElement()
                .satisfies(p -> assertThat(p.certificate()).isEqualTo(DAVE_CERT.certificate()));
        CachingCertificateSource cache = certificates().ldapCache().orElseThrow();

        directory.shutDown(true);
        String summary = gateway.app().reload();

        assertThat(summary).contains("LDAP cache kept");
        assertThat(certificates().ldapCache()).containsSame(cache);
        assertThat(store().encryptionCertificates(DAVE)).singleElement()
                .satisfies(p -> assertThat(p.certificate()).isEqualTo(DAVE_CERT.certificate()));
        assertThat(cache.staleHits()).isPositive();
    }

    @Test
    void changedLdapSettingsGiveANewCache() throws Exception {
        assertThat(store().encryptionCertificates(DAVE)).hasSize(1);
        CachingCertificateSource before = certificates().ldapCache().orElseThrow();
        CertStoreConfig changed = settingsWith("filter: \"(mail={0})\"", "filter: \"(|(mail={0})(cn={0}))\"");
        gateway.app().readCertstoreOnReload(() -> changed);

        directory.shutDown(true);
        String summary = gateway.app().reload();

        assertThat(summary).contains("LDAP settings changed");
        CachingCertificateSource after = certificates().ldapCache().orElseThrow();
        assertThat(after).isNotSameAs(before);
        assertThat(after.size()).isZero();
        // nothing known yet and the directory down: unknown, never "no certificate"
        assertThatThrownBy(() -> store().encryptionCertificates(DAVE))
                .isInstanceOf(DirectoryUnavailableException.class);
    }

    @Test
    void aReloadRefusesCertstoreChangesOnlyARestartApplies() throws Exception {
        CertStoreConfig softFail = settingsWith("revocation: {mode: OFF}", "revocation: {mode: SOFT_FAIL}");
        CachingCertificateSource cache = certificates().ldapCache().orElseThrow();
        gateway.app().readCertstoreOnReload(() -> softFail);

        assertThatThrownBy(() -> gateway.app().reload())
                .hasMessageContaining("restart the gateway to change certstore.revocation");
        assertThat(certificates().ldapCache()).containsSame(cache);
    }
}
