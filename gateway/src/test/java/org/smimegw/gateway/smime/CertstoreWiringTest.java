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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.app.StartupException;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * {@code certstore.ldap} and {@code certstore.pkcs11} in {@code gateway.yaml}: read into {@link CertStoreConfig},
 * mistakes reported as {@code FILE:LINE: reason}, and the running gateway's store combining the file store with the
 * directory (lookups and harvest write-back), closed on stop.
 */
class CertstoreWiringTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String certstore) throws Exception {
        return new ConfigLoader().load(SmimeGatewayFixture.writeConfig(dir, certstore));
    }

    private ConfigFileException failure(String certstore) {
        try {
            load(certstore);
        } catch (ConfigFileException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a ConfigFileException for:\n" + certstore);
    }

    /** Line numbers: the fixture's YAML has 16 lines before what a test appends. */
    private static final int FIRST = 17;

    @Test
    void ldapAndPkcs11SectionsAreRead() throws Exception {
        CertStoreConfig c = load("""
                  ldap:
                    urls: [ "ldaps://dc1.example.com:636", "ldaps://dc2.example.com:636" ]
                    baseDn: "DC=example,DC=com"
                    bindDn: "CN=svc,DC=example,DC=com"
                    bindPassword: env:LDAP_PW
                    harvestBaseDn: "OU=Harvested,DC=example,DC=com"
                    cacheTtlSeconds: 120
                  pkcs11:
                    library: /usr/lib/softhsm/libsofthsm2.so
                    tokenLabel: gw
                    pin: file:/etc/gw/token.pin
                """).certstore();
        assertThat(c.ldap().urls()).containsExactly("ldaps://dc1.example.com:636", "ldaps://dc2.example.com:636");
        assertThat(c.ldap().filter()).isEqualTo("(|(mail={0})(proxyAddresses=smtp:{0}))");
        assertThat(c.ldap().harvestBaseDn()).isEqualTo("OU=Harvested,DC=example,DC=com");
        assertThat(c.ldap().cacheSettings().ttl()).hasSeconds(120);
        assertThat(c.pkcs11().tokenLabel()).isEqualTo("gw");
        assertThat(c.pkcs11().reloadIntervalSeconds()).isEqualTo(300);
        assertThat(load("").certstore().ldap()).isNull();
        assertThat(load("").certstore().pkcs11()).isNull();
    }

    @Test
    void mistakesInTheSectionsNameFileLineAndKey() {
        Path file = dir.resolve("conf/gateway.yaml");
        ConfigFileException pool =
                failure("  ldap:\n    urls: [ldap://127.0.0.1:1]\n    baseDn: dc=x\n    poolSize: 0\n");
        assertThat(pool.getMessage()).isEqualTo(file + ":" + (FIRST + 3)
                + ": certstore.ldap.poolSize must be positive, was 0");

        ConfigFileException noBase = failure("  ldap:\n    urls: [ldap://127.0.0.1:1]\n");
        assertThat(noBase.getMessage()).isEqualTo(file + ":" + FIRST + ": certstore.ldap: baseDn is required");

        ConfigFileException badUrl = failure("  ldap:\n    urls: [ldap://ok:389, http://dc1]\n    baseDn: dc=x\n");
        assertThat(badUrl.line()).hasValue(FIRST + 1);
        assertThat(badUrl.reason()).isEqualTo(
                "certstore.ldap.urls[1]: 'http://dc1' is not an LDAP URL like ldap://host:389 or ldaps://host:636");

        ConfigFileException typo = failure("  ldap:\n    url: [ldap://127.0.0.1:1]\n");
        assertThat(typo.line()).hasValue(FIRST + 1);
        assertThat(typo.reason()).startsWith("unknown key 'url' in certstore.ldap (known keys: baseDn, bindDn,");

        ConfigFileException pin = failure("  pkcs11:\n    library: /x.so\n    pin: \"1234\"\n");
        assertThat(pin.getMessage()).isEqualTo(file + ":" + (FIRST + 2)
                + ": certstore.pkcs11.pin: must be a reference env:NAME or file:PATH, not a password");

        ConfigFileException twoSlots =
                failure("  pkcs11:\n    library: /x.so\n    slot: 1\n    tokenLabel: gw\n    pin: env:P\n");
        assertThat(twoSlots.reason()).isEqualTo("certstore.pkcs11: set only one of slot, slotListIndex and tokenLabel");
        assertThat(twoSlots.line().getAsInt()).isBetween(FIRST, FIRST + 4);

        ConfigFileException noLibrary = failure("  pkcs11:\n    pin: env:P\n");
        assertThat(noLibrary.getMessage()).startsWith(file + ":" + FIRST + ": certstore.pkcs11: library is required");
    }

    @Test
    void aTokenThatCannotBeOpenedStopsTheStartWithOneLine() throws Exception {
        GatewayConfig config = load("  pkcs11:\n    library: " + dir.resolve("no-such-module.so")
                + "\n    pin: env:NO_SUCH_PIN_VARIABLE\n").withEphemeralPorts(dir.resolve("var"));
        try (GatewayApplication app = new GatewayApplication(config)) {
            assertThatThrownBy(app::start).isInstanceOf(StartupException.class)
                    .hasMessage("certstore: PKCS#11 module not found: " + dir.resolve("no-such-module.so")
                            + " (certstore.pkcs11.library)");
            assertThat(app.isRunning()).isFalse();
        }
    }

    @Test
    void theRunningGatewayLooksUpAndHarvestsThroughTheDirectoryAndClosesIt() throws Exception {
        TestPki pki = TestPki.create("Wiring LDAP");
        TestPki.Issued erin = pki.issue("erin@partner.example");
        TestPki.Issued frank = pki.issue("frank@elsewhere.example");
        InMemoryDirectoryServerConfig dsConfig = new InMemoryDirectoryServerConfig("dc=partner,dc=example");
        dsConfig.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                InetAddress.getByName("127.0.0.1"), 0, null));
        InMemoryDirectoryServer directory = new InMemoryDirectoryServer(dsConfig);
        try {
            directory.add("dn: dc=partner,dc=example", "objectClass: top", "objectClass: domain", "dc: partner");
            directory.add("dn: ou=Harvested,dc=partner,dc=example", "objectClass: top",
                    "objectClass: organizationalUnit", "ou: Harvested");
            Entry e = new Entry("cn=Erin,dc=partner,dc=example");
            e.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
            e.addAttribute("cn", "Erin");
            e.addAttribute("sn", "Erin");
            e.addAttribute("mail", "erin@partner.example");
            e.addAttribute("userCertificate;binary", erin.certificate().getEncoded());
            directory.add(e);
            directory.startListening();

            GatewayConfig config = load("""
                      ldap:
                        urls: [ "ldap://127.0.0.1:%d" ]
                        baseDn: "dc=partner,dc=example"
                        filter: "(mail={0})"
                        harvestBaseDn: "ou=Harvested,dc=partner,dc=example"
                    """.formatted(directory.getListenPort())).withEphemeralPorts(dir.resolve("var"));
            var app = new GatewayApplication(config);
            try (app) {
                app.start();
                var services = app.certificates().orElseThrow();
                assertThat(services.store().encryptionCertificates("erin@partner.example"))
                        .singleElement().satisfies(p -> assertThat(p.certificate()).isEqualTo(erin.certificate()));
                assertThat(services.store().encryptionCertificates("frank@elsewhere.example")).isEmpty();

                services.store().harvest(new HarvestedCertificate("frank@elsewhere.example", frank.certificate(),
                        frank.chain(), SmimeCapabilities.UNKNOWN, java.time.Instant.now()));
                assertThat(directory.getEntry("cn=frank@elsewhere.example,ou=Harvested,dc=partner,dc=example"))
                        .as("harvest written back to the directory").isNotNull();
                assertThat(services.store().encryptionCertificates("frank@elsewhere.example"))
                        .as("the cached 'none' was dropped when harvesting").isNotEmpty();
                assertThat(services.fileStore().encryptionCertificates("frank@elsewhere.example"))
                        .as("harvested into the file store too").isNotEmpty();
            }
            assertThat(app.certificates()).isEmpty();
            assertThat(Files.isDirectory(dir.resolve("var/certstore"))).isTrue();
        } finally {
            directory.shutDown(true);
        }
    }
}
