package org.smimegw.gateway.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.ldap.LdapCertificateSource;
import org.smimegw.certstore.ldap.LdapConfig;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.cli.certs.CertsCli.Run;


/**
 * {@code certs publish} against the in-process UnboundID directory over TCP: users' entries get their current
 * certificates as {@code userCertificate;binary} and {@code userSMIMECertificate}, expired ones are removed, and the
 * gateway's own directory lookup reads back what was written. Also: {@code certs verify} trusts the CAs published in
 * the directory's trust subtree ({@code certstore.ldap.trustBaseDn}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertsPublishTest {
    private static final String BASE = "dc=example,dc=com";
    private static final String PEOPLE = "ou=People," + BASE;
    private static final String PKI_DN = "ou=PKI," + BASE;
    private static final String BIND_DN = "cn=gateway," + BASE;
    private static final String P12_PASS = "p12-secret";
    private static final Map<String, String> ENV = Map.of("P12_PASS", P12_PASS, "LDAP_PW", "bind-secret");

    private TestPki pki;
    private TestPki other;
    private TestPki.Issued alice;
    private TestPki.Issued aliceExpired;
    private TestPki.Issued aliceElsewhere;
    private TestPki.Issued bob;
    private TestPki.Issued carol;
    private TestPki.Issued dup;

    @TempDir
    static Path dir;
    private Path config;
    private InMemoryDirectoryServer directory;

    private final CertsCli cli = new CertsCli(ENV);

    @BeforeAll
    void pkiAndStore() throws Exception {
        pki = TestPki.create("Publish");
        other = TestPki.create("Elsewhere");
        alice = pki.issue("alice@example.com");
        aliceExpired = pki.user("alice@example.com")
                .validity(Instant.now().minus(Duration.ofDays(800)), Instant.now().minus(Duration.ofDays(30))).issue();
        aliceElsewhere = other.issue("alice@example.com");
        bob = pki.issue("bob@example.com");
        carol = pki.issue("carol@example.com");
        dup = pki.issue("dup@example.com");
        store();
    }

    @BeforeEach
    void setUp() throws Exception {
        InMemoryDirectoryServerConfig c = new InMemoryDirectoryServerConfig(BASE);
        c.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName("127.0.0.1"), 0,
                null));
        c.addAdditionalBindCredentials(BIND_DN, "bind-secret");
        directory = new InMemoryDirectoryServer(c);
        directory.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
        for (String ou : List.of("People", "PKI")) {
            directory.add("dn: ou=" + ou + "," + BASE, "objectClass: top", "objectClass: organizationalUnit",
                    "ou: " + ou);
        }
        for (String name : List.of("alice", "bob", "dup", "dup2")) {
            directory.add("dn: cn=" + name + "," + PEOPLE, "objectClass: top", "objectClass: person",
                    "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "cn: " + name, "sn: " + name,
                    "mail: " + (name.startsWith("dup") ? "dup" : name) + "@example.com");
        }
        directory.startListening();
        config = Files.writeString(dir.resolve("gateway.yaml"), storeSection() + """
                  ldap:
                    urls: [ "ldap://127.0.0.1:%d" ]
                    baseDn: "%s"
                    filter: "(mail={0})"
                    bindDn: "%s"
                    bindPassword: env:LDAP_PW
                    trustBaseDn: "%s"
                """.formatted(directory.getListenPort(), BASE, BIND_DN, PKI_DN));
    }

    /** One store for all tests (imports are slow): the trust and the four users with their keys. */
    private void store() throws Exception {
        Files.writeString(dir.resolve("store.pass"), "store-secret\n");
        config = Files.writeString(dir.resolve("store.yaml"), storeSection());
        certs("import-trust", TestPki.writePem(dir.resolve("ca.pem"), pki.rootCertificate(),
                pki.intermediate().certificate()).toString());
        for (TestPki.Issued user : List.of(alice, bob, carol, dup)) {
            String name = user.certificate().getSubjectX500Principal().getName().replaceAll("[^a-z]", "");
            Path p12 = TestPki.writePkcs12(user, dir.resolve(name + ".p12"), P12_PASS.toCharArray());
            assertThat(certs("import-user", p12.toString(), "--password-env", "P12_PASS").exit()).isZero();
        }
    }

    private String storeSection() {
        return """
                certstore:
                  directory: %s
                  keyPassword: file:%s
                  revocation:
                    mode: soft_fail
                    fetchCrlDistributionPoints: false
                    ocsp: false
                """.formatted(dir.resolve("store"), dir.resolve("store.pass"));
    }

    @AfterEach
    void stop() {
        directory.shutDown(true);
    }

    private Run certs(String command, String... rest) {
        return cli.certs(config, command, rest);
    }

    private Run run(String... args) {
        return cli.run(args);
    }

    private Entry alicesEntry() throws Exception {
        return directory.getEntry("cn=alice," + PEOPLE);
    }

    private List<PublishedCertificate> lookup(String address) throws Exception {
        LdapConfig c = LdapConfig.of(List.of("ldap://127.0.0.1:" + directory.getListenPort()), BASE)
                .withFilter("(mail={0})");
        try (LdapCertificateSource source = new LdapCertificateSource(c)) {
            return source.lookup(address);
        }
    }

    @Test
    void publishesTheCurrentCertificateReplacesTheExpiredOneAndKeepsAnotherValidOne() throws Exception {
        String aliceDn = "cn=alice," + PEOPLE;
        directory.modify(new com.unboundid.ldap.sdk.ModifyRequest(aliceDn, List.of(
                new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.ADD,
                        "userCertificate;binary", aliceExpired.certificate().getEncoded(),
                        aliceElsewhere.certificate().getEncoded()),
                new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.ADD,
                        "userSMIMECertificate", TestPki.p7b(aliceExpired.fullChain(), List.of())))));
        Entry before = alicesEntry();

        Run dry = certs("publish", "--dry-run", "alice@example.com");
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("alice@example.com: cn=alice,ou=People,dc=example,dc=com: would add "
                        + "userCertificate;binary 'CN=alice@example.com")
                .contains("would add userSMIMECertificate 'CN=alice@example.com")
                .contains("would remove expired userCertificate;binary")
                .contains("would remove expired userSMIMECertificate")
                .contains("dry run, nothing written: 1 to change, 0 up to date, 0 failed");
        assertThat(alicesEntry()).isEqualTo(before);

        Run real = certs("publish", "alice@example.com");
        assertThat(real.exit()).as(real.err()).isZero();
        assertThat(real.out()).contains("1 published, 0 up to date, 0 failed");
        List<X509Certificate> der = java.util.Arrays.stream(
                alicesEntry().getAttribute("userCertificate;binary").getValueByteArrays()).map(CertsPublishTest::certificate).toList();
        assertThat(der).containsExactlyInAnyOrder(alice.certificate(), aliceElsewhere.certificate());
        assertThat(alicesEntry().getAttribute("userSMIMECertificate").getValues()).hasSize(1);
        // what the gateway's directory lookup makes of it: the current certificate with its chain, the other one
        List<PublishedCertificate> found = lookup("alice@example.com");
        assertThat(found).extracting(PublishedCertificate::certificate)
                .containsExactlyInAnyOrder(alice.certificate(), aliceElsewhere.certificate());
        assertThat(found.stream().filter(p -> p.certificate().equals(alice.certificate())).findFirst().orElseThrow()
                .chain()).contains(pki.intermediate().certificate());

        Run again = certs("publish", "alice@example.com");
        assertThat(again.out()).contains("alice@example.com: cn=alice,ou=People,dc=example,dc=com: up to date")
                .contains("0 published, 1 up to date, 0 failed");
    }

    @Test
    void withoutAddressesEveryKeyHolderIsPublishedAndFailuresAreReportedPerAddress() throws Exception {
        Run r = certs("publish");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("alice@example.com: cn=alice,").contains("bob@example.com: cn=bob,")
                .contains("2 published, 0 up to date, 2 failed");
        assertThat(r.err()).contains("certs publish: error: carol@example.com: no directory entry matches "
                        + "(mail=carol@example.com) under dc=example,dc=com")
                .contains("certs publish: error: dup@example.com: more than one directory entry matches");
        assertThat(lookup("bob@example.com")).extracting(PublishedCertificate::certificate)
                .containsExactly(bob.certificate());
        assertThat(certs("publish", "nobody@example.com").err())
                .contains("nobody@example.com: the gateway holds no currently valid key");
    }

    @Test
    void withoutADirectoryItSaysSo() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.yaml"), "certstore:\n  directory: " + dir.resolve("store")
                + "\n  keyPassword: file:" + dir.resolve("store.pass") + "\n");
        Run r = run("publish", "--config", plain.toString(), "alice@example.com");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("certs publish: error: no directory: certstore.ldap is not configured in "
                + plain);
    }

    @Test
    void verifyTrustsTheCasPublishedInTheDirectory() throws Exception {
        TestPki.Issued dave = other.issue("dave@example.com");
        Path davePem = TestPki.writePem(dir.resolve("dave.pem"), dave.certificate());
        assertThat(certs("verify", davePem.toString()).out()).contains("NO_PATH_TO_TRUST_ANCHOR");
        directory.add("dn: cn=Elsewhere Root," + PKI_DN, "objectClass: top", "objectClass: applicationProcess",
                "objectClass: pkiCA", "cn: Elsewhere Root");
        directory.modify(new com.unboundid.ldap.sdk.ModifyRequest("cn=Elsewhere Root," + PKI_DN,
                new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.ADD,
                        "cACertificate;binary", other.rootCertificate().getEncoded(),
                        other.intermediate().certificate().getEncoded())));
        Run r = certs("verify", davePem.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).doesNotContain("NO_PATH_TO_TRUST_ANCHOR");
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
