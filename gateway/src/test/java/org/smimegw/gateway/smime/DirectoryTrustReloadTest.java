package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.app.CertificateServices;
import org.smimegw.gateway.config.ConfigLoader;

/**
 * Trust anchors from the directory ({@code certstore.ldap.trustBaseDn}) in the running gateway: the validator and the
 * store use them beside the file store's imports; a reload with the same settings reads the trust subtree again, one
 * with changed {@code certstore.ldap} settings replaces the trust source with the cache (the new subtree's anchors, not
 * the old ones'). The in-process UnboundID directory listens on 127.0.0.1.
 */
class DirectoryTrustReloadTest {

    private static final String BASE = "dc=example,dc=com";
    private static final TestPki FIRST = TestPki.create("Directory trust first");
    private static final TestPki SECOND = TestPki.create("Directory trust second");
    private static final TestPki.Issued ALICE = FIRST.issue("alice@partner.example");
    private static final TestPki.Issued BOB = SECOND.issue("bob@partner.example");

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
        config.setSchema(null); // pkiCA entries without the schema's object classes
        directory = new InMemoryDirectoryServer(config);
        directory.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
        for (String ou : List.of("First", "Second")) {
            directory.add("dn: ou=" + ou + "," + BASE, "objectClass: top", "objectClass: organizationalUnit",
                    "ou: " + ou);
        }
        addAnchor("First", "First Root", FIRST.rootCertificate());
        addAnchor("Second", "Second Root", SECOND.rootCertificate());
        directory.startListening();
        ldapSection = """
                  ldap:
                    urls: [ "ldap://127.0.0.1:%d" ]
                    baseDn: "%s"
                    filter: "(mail={0})"
                    connectTimeoutMillis: 1000
                    responseTimeoutMillis: 2000
                    retryAfterFailureMillis: 0
                    trustBaseDn: "ou=First,%s"
                """.formatted(directory.getListenPort(), BASE, BASE);
        Path yaml = SmimeGatewayFixture.writeConfig(dir, ldapSection);
        // the admin endpoint on (an ephemeral port): its /metrics shows the anchors' expiry
        Files.writeString(yaml, Files.readString(yaml).replace("admin: {enabled: false,", "admin: {enabled: true,"));
        gateway = SmimeGatewayFixture.start(dir);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        directory.shutDown(true);
    }

    private void addAnchor(String ou, String cn, X509Certificate certificate) throws Exception {
        Entry entry = new Entry("cn=" + cn + ",ou=" + ou + "," + BASE);
        entry.addAttribute("objectClass", "top", "applicationProcess", "pkiCA");
        entry.addAttribute("cn", cn);
        entry.addAttribute("cACertificate;binary", certificate.getEncoded());
        directory.add(entry);
    }

    private CertificateServices certificates() {
        return gateway.app().certificates().orElseThrow();
    }

    /** Whether the gateway's validator accepts {@code user}'s certificate (and chain) for encryption. */
    private boolean valid(TestPki.Issued user) {
        String address = user.certificate().getSubjectX500Principal().getName().contains("alice")
                ? "alice@partner.example" : "bob@partner.example";
        return certificates().validator().validate(user.certificate(), user.chain(), Purpose.ENCRYPT, address,
                Instant.now()).isValid();
    }

    @Test
    void theDirectorysAnchorsAreTrustedAndAReloadReadsTheSubtreeAgain() throws Exception {
        assertThat(certificates().trust().roots()).containsExactly(FIRST.rootCertificate());
        assertThat(valid(ALICE)).isTrue();
        assertThat(valid(BOB)).isFalse();

        // one import into the directory (here: the second CA into the same subtree) serves the gateway at its reload
        addAnchor("First", "Second Root", SECOND.rootCertificate());
        String summary = gateway.app().reload();

        assertThat(summary).contains("LDAP cache kept").contains("directory trust 2 anchor(s)");
        assertThat(certificates().trust().roots()).containsExactlyInAnyOrder(FIRST.rootCertificate(),
                SECOND.rootCertificate());
        assertThat(valid(BOB)).isTrue();
    }

    @Test
    void theDirectorysAnchorsHaveAnExpiryGauge() throws Exception {
        int port = gateway.app().adminAddress().orElseThrow().getPort();
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.body().lines().filter(l -> l.startsWith("smime_trust_anchor_expiry_days{")))
                .singleElement().asString().contains(Certificates.sha256(FIRST.rootCertificate()));
    }

    @Test
    void aReloadWithAnotherTrustBaseDnReplacesTheTrustSource() throws Exception {
        assertThat(valid(ALICE)).isTrue();
        Path yaml = SmimeGatewayFixture.writeConfig(dir, ldapSection.replace("ou=First", "ou=Second"));
        CertStoreConfig changed = new ConfigLoader().load(yaml).certstore();
        gateway.app().readCertstoreOnReload(() -> changed);

        String summary = gateway.app().reload();

        assertThat(summary).contains("LDAP settings changed");
        assertThat(certificates().trust().roots()).containsExactly(SECOND.rootCertificate());
        assertThat(valid(BOB)).isTrue();
        assertThat(valid(ALICE)).isFalse();
    }

    @Test
    void withoutTrustBaseDnTheFileStoresTrustIsUsedAsItIs() throws Exception {
        Path yaml = SmimeGatewayFixture.writeConfig(dir, ldapSection.replaceAll("(?m)^\\s+trustBaseDn:.*\\n", ""));
        assertThat(Files.readString(yaml)).doesNotContain("trustBaseDn");
        CertStoreConfig withoutTrust = new ConfigLoader().load(yaml).certstore();
        gateway.app().readCertstoreOnReload(() -> withoutTrust);

        gateway.app().reload();

        assertThat(certificates().trust()).isSameAs(certificates().fileStore().trust());
        assertThat(valid(ALICE)).isFalse();
    }
}
