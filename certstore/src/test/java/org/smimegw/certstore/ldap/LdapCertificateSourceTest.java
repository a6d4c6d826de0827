package org.smimegw.certstore.ldap;

import org.smimegw.certstore.SecretReferences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.testing.MutableClock;
import org.smimegw.certstore.testing.TestPki;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdapCertificateSourceTest {

    private static final String AES256 = "2.16.840.1.101.3.4.1.42";
    private static final String AES128 = "2.16.840.1.101.3.4.1.2";

    // a fixed clock at the start of the test (the test certificates are made relative to now)
    private final Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    private TestPki pki;
    private TestPki.Issued alice;
    private TestPki.Issued aliceOld;
    private TestPki.Issued bob;
    private TestPki.Issued carol;
    private AdDirectory directory;

    @TempDir
    Path tmp;

    @BeforeAll
    void pki() {
        pki = TestPki.create("LDAP");
        alice = pki.issue("alice@example.com");
        aliceOld = pki.user("alice@example.com")
                .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().plus(Duration.ofDays(10))).issue();
        bob = pki.issue("bob@example.com");
        carol = pki.issue("carol@example.com");
    }

    @BeforeEach
    void directory() throws Exception {
        directory = AdDirectory.start();
    }

    @AfterEach
    void stop() {
        directory.close();
    }

    private LdapCertificateSource source(LdapConfig config) {
        return new LdapCertificateSource(config, new SecretReferences(Map.<String, String>of()::get), clock);
    }

    private LdapConfig config() {
        return LdapConfig.of(List.of(directory.url()), AdDirectory.BASE);
    }

    @Test
    void findsUserCertificateByMail() throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());

        try (LdapCertificateSource source = source(config())) {
            List<PublishedCertificate> found = source.lookup("alice@example.com");

            assertThat(found).extracting(PublishedCertificate::certificate).containsExactly(alice.certificate());
            assertThat(found.get(0).source()).isEqualTo(directory.url());
            assertThat(found.get(0).seen()).isEqualTo(clock.instant());
            assertThat(found.get(0).chain()).isEmpty();
        }
    }

    @Test
    void findsByProxyAddressesSecondarySmtpValue() throws Exception {
        String dn = directory.addUser("Bob Jones", "bob.jones@example.com",
                "SMTP:bob.jones@example.com", "smtp:bob@example.com", "X400:c=US;a= ;p=Example;o=Exchange;s=Jones");
        directory.addValues(dn, "userCertificate", bob.certificate().getEncoded());

        try (LdapCertificateSource source = source(config())) {
            assertThat(source.lookup("bob@example.com")).extracting(PublishedCertificate::certificate)
                    .containsExactly(bob.certificate());
        }
    }

    @Test
    void findsByProxyAddressesPrimarySmtpValueWhenMailDiffers() throws Exception {
        // mail is not set (e.g. a contact synced by Entra Connect); only the primary SMTP: proxy address matches
        String dn = directory.addUser("Carol", null, "SMTP:carol@example.com", "smtp:c@example.org");
        directory.addValues(dn, "userCertificate;binary", carol.certificate().getEncoded());

        try (LdapCertificateSource source = source(config())) {
            assertThat(source.lookup("carol@example.com")).extracting(PublishedCertificate::certificate)
                    .containsExactly(carol.certificate());
        }
    }

    @Test
    void addressMatchIsCaseInsensitiveForMailAndProxyAddresses() throws Exception {
        String a = directory.addUser("Alice Smith", "Alice.Smith@Example.com");
        directory.addValues(a, "userCertificate;binary", alice.certificate().getEncoded());
        String c = directory.addUser("Carol", null, "SMTP:Carol@EXAMPLE.com");
        directory.addValues(c, "userCertificate;binary", carol.certificate().getEncoded());

        try (LdapCertificateSource source = source(config())) {
            assertThat(source.lookup("alice.smith@example.COM")).hasSize(1);
            assertThat(source.lookup("  ALICE.SMITH@EXAMPLE.COM ")).hasSize(1);
            assertThat(source.lookup("carol@example.com")).extracting(PublishedCertificate::certificate)
                    .containsExactly(carol.certificate());
        }
    }

    @Test
    void readsBothAttributesMergesDuplicatesAndTakesChainAndCapabilitiesFromThePkcs7() throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userSMIMECertificate",
                Pkcs7Blobs.signedWithCapabilities(alice, List.of(AES256, AES128)));
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded(),
                aliceOld.certificate().getEncoded());

        try (LdapCertificateSource source = source(config())) {
            List<PublishedCertificate> found = source.lookup("alice@example.com");

            assertThat(found).extracting(PublishedCertificate::certificate)
                    .containsExactly(alice.certificate(), aliceOld.certificate()); // newest first, no duplicate
            PublishedCertificate current = found.get(0);
            assertThat(current.chain()).containsExactlyInAnyOrder(pki.intermediate().certificate(),
                    pki.rootCertificate());
            assertThat(current.capabilities().algorithmOids()).containsExactly(AES256, AES128);
            assertThat(found.get(1).capabilities()).isEqualTo(SmimeCapabilities.UNKNOWN);
        }
    }

    @Test
    void publishesEveryEndEntityOfACertsOnlyPkcs7ButNoCaCertificates() throws Exception {
        TestPki.Issued aliceEc = pki.user("alice@example.com").keyType(TestPki.KeyType.EC_P256).issue();
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userSMIMECertificate;binary", Pkcs7Blobs.certsOnly(List.of(alice.certificate(),
                aliceEc.certificate(), pki.intermediate().certificate(), pki.rootCertificate())));
        directory.addValues(dn, "userCertificate;binary", pki.intermediate().certificate().getEncoded());

        try (LdapCertificateSource source = source(config())) {
            List<PublishedCertificate> found = source.lookup("alice@example.com");

            assertThat(found).extracting(PublishedCertificate::certificate)
                    .containsExactlyInAnyOrder(alice.certificate(), aliceEc.certificate());
            PublishedCertificate rsa = found.stream().filter(p -> p.certificate().equals(alice.certificate()))
                    .findFirst().orElseThrow();
            assertThat(rsa.chain()).containsExactlyInAnyOrder(aliceEc.certificate(),
                    pki.intermediate().certificate(), pki.rootCertificate());
        }
    }

    @Test
    void skipsValuesThatDoNotParseAndKeepsTheOthers() throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userSMIMECertificate", "not a pkcs7".getBytes());
        directory.addValues(dn, "userCertificate;binary", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01},
                alice.certificate().getEncoded());

        try (LdapCertificateSource source = source(config())) {
            assertThat(source.lookup("alice@example.com")).extracting(PublishedCertificate::certificate)
                    .containsExactly(alice.certificate());
        }
    }

    @Test
    void unknownAddressAndEntryWithoutCertificatesGiveEmpty() throws Exception {
        directory.addUser("Dave", "dave@example.com");
        try (LdapCertificateSource source = source(config())) {
            assertThat(source.lookup("nobody@example.com")).isEmpty();
            assertThat(source.lookup("dave@example.com")).isEmpty();
        }
    }

    @Test
    void filterValuesAreEscapedSoWildcardsAndParenthesesMatchNothing() throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        try (LdapCertificateSource source = source(config())) {
            assertThat(source.lookup("*@example.com")).isEmpty();
            assertThat(source.lookup("x@y)(mail=*")).isEmpty();
            assertThat(source.lookup("alice@example.com")).hasSize(1);
        }
    }

    @Test
    void customFilterTemplateIsUsed() throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        try (LdapCertificateSource source = source(config().withFilter("(&(objectClass=inetOrgPerson)(cn={0}))"))) {
            assertThat(source.lookup("alice@example.com")).isEmpty();
        }
        try (LdapCertificateSource source = source(config().withFilter("(&(objectClass=inetOrgPerson)(mail={0}))"))) {
            assertThat(source.lookup("alice@example.com")).hasSize(1);
        }
    }

    @Test
    void bindsWithPasswordFromReferenceAndFailsAsUnavailableOnWrongPassword() throws Exception {
        directory.close();
        directory = AdDirectory.startRequiringBind();
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        Path passwordFile = Files.writeString(tmp.resolve("bind.pw"), AdDirectory.SERVICE_PASSWORD + "\n");

        try (LdapCertificateSource source = source(config().withBind(AdDirectory.SERVICE_DN, "file:" + passwordFile))) {
            assertThat(source.lookup("alice@example.com")).hasSize(1);
        }
        try (LdapCertificateSource source = new LdapCertificateSource(
                config().withBind(AdDirectory.SERVICE_DN, "env:LDAP_PW"),
                new SecretReferences(Map.of("LDAP_PW", AdDirectory.SERVICE_PASSWORD)::get), clock)) {
            assertThat(source.lookup("alice@example.com")).hasSize(1);
        }
        try (LdapCertificateSource anonymous = source(config())) {
            assertThatThrownBy(() -> anonymous.lookup("alice@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class);
        }
        try (LdapCertificateSource wrong = new LdapCertificateSource(
                config().withBind(AdDirectory.SERVICE_DN, "env:LDAP_PW"),
                new SecretReferences(Map.of("LDAP_PW", "wrong")::get), clock)) {
            assertThatThrownBy(() -> wrong.lookup("alice@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class)
                    .hasMessageContaining("invalid credentials");
        }
    }

    @Test
    void refusesPasswordsInTheConfigAndBadSettingsAtStartup() {
        assertThatThrownBy(() -> source(config().withBind(AdDirectory.SERVICE_DN, "hunter2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certstore.ldap.bindPassword").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> source(config().withBind(AdDirectory.SERVICE_DN, "env:NOT_SET")))
                .hasMessageContaining("NOT_SET is not set");
        assertThatThrownBy(() -> source(config().withFilter("(mail={0}")))
                .hasMessageContaining("certstore.ldap.filter");
        assertThatThrownBy(() -> source(config().withFilter("(mail=x)")))
                .hasMessageContaining("{0}");
        assertThatThrownBy(() -> source(LdapConfig.of(List.of(), AdDirectory.BASE)))
                .hasMessageContaining("certstore.ldap.urls");
        assertThatThrownBy(() -> source(LdapConfig.of(List.of("http://x"), AdDirectory.BASE)))
                .hasMessageContaining("certstore.ldap.urls");
        assertThatThrownBy(() -> source(LdapConfig.of(List.of(directory.url()), "not a dn")))
                .hasMessageContaining("certstore.ldap.baseDn");
        assertThatThrownBy(() -> source(LdapConfig.of(List.of("ldaps://h:636"), AdDirectory.BASE)
                .withTls(true, null, null, false))).hasMessageContaining("startTls");
    }

    @Test
    void directoryDownIsUnavailableNeverEmpty() throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        try (LdapCertificateSource source = source(config().withTimeouts(1000, 1000))) {
            assertThat(source.lookup("alice@example.com")).hasSize(1);

            directory.shutDown();

            assertThatThrownBy(() -> source.lookup("alice@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class);
            assertThatThrownBy(() -> source.lookup("nobody@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class);
        }
    }

    @Test
    void directoryDownAtStartupIsUnavailableFailsFastForAWhileAndRecoversWhenItComesBack() throws Exception {
        int port = directory.port();
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        LdapConfig config = config().withTimeouts(1000, 1000).withRetryAfterFailureMillis(2000);
        MutableClock stepping = new MutableClock(clock.instant());
        directory.server().shutDown("ldap", true);
        try (LdapCertificateSource source = new LdapCertificateSource(config,
                new SecretReferences(Map.<String, String>of()::get), stepping)) {
            assertThatThrownBy(() -> source.lookup("alice@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class)
                    .hasMessageContaining("127.0.0.1");

            directory.server().startListening("ldap");
            assertThat(directory.port()).as("the listener came back on its port").isEqualTo(port);
            stepping.advance(Duration.ofMillis(1999));
            assertThatThrownBy(() -> source.lookup("alice@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class)
                    .hasMessageContaining("not attempted");

            stepping.advance(Duration.ofMillis(1));
            assertThat(source.lookup("alice@example.com")).hasSize(1);
        }
    }

    @Test
    void slowDirectoryTimesOutAsUnavailable() throws Exception {
        directory.close();
        AtomicBoolean slow = new AtomicBoolean();
        directory = AdDirectory.start(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
                if (slow.get()) {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        try (LdapCertificateSource source = source(config().withTimeouts(1000, 300))) {
            assertThat(source.lookup("alice@example.com")).hasSize(1);
            slow.set(true);
            assertThatThrownBy(() -> source.lookup("alice@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class)
                    .hasMessageContaining("timeout");
            slow.set(false);
            assertThat(source.lookup("alice@example.com")).hasSize(1);
        }
    }

    @Test
    void busyOrUnavailableDirectoryIsUnavailable() throws Exception {
        directory.close();
        AtomicReference<ResultCode> refuse = new AtomicReference<>();
        directory = AdDirectory.start(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
                if (refuse.get() != null) {
                    throw new LDAPException(refuse.get(), "not now");
                }
            }
        });
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        try (LdapCertificateSource source = source(config())) {
            for (ResultCode code : List.of(ResultCode.BUSY, ResultCode.UNAVAILABLE, ResultCode.OTHER,
                    ResultCode.ADMIN_LIMIT_EXCEEDED)) {
                refuse.set(code);
                assertThatThrownBy(() -> source.lookup("alice@example.com"))
                        .isInstanceOf(DirectoryUnavailableException.class)
                        .hasMessageContaining(code.getName());
            }
            refuse.set(null);
            assertThat(source.lookup("alice@example.com")).hasSize(1);
        }
    }

    @Test
    void failsOverToTheNextUrl() throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            deadPort = s.getLocalPort();
        }
        LdapConfig config = LdapConfig.of(List.of("ldap://127.0.0.1:" + deadPort, directory.url()), AdDirectory.BASE);
        try (LdapCertificateSource source = source(config)) {
            List<PublishedCertificate> found = source.lookup("alice@example.com");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).source()).isEqualTo(directory.url());
            assertThat(source.name()).isEqualTo("ldap://127.0.0.1:" + deadPort + "," + directory.url());
        }
    }

    @Test
    void harvestedCertificateWrittenByOneGatewayIsFoundByAnother() throws Exception {
        LdapConfig config = config().withHarvestBaseDn(AdDirectory.HARVESTED);
        Instant seen = clock.instant().minus(Duration.parse("PT24H44M30S"));
        try (LdapCertificateSource gateway1 = source(config); LdapCertificateSource gateway2 = source(config)) {
            assertThat(gateway2.lookup("Partner@Other.example")).isEmpty();

            gateway1.store(new HarvestedCertificate("Partner@Other.example", bob.certificate(), bob.chain(),
                    new SmimeCapabilities(List.of(AES256)), seen));

            List<PublishedCertificate> found = gateway2.lookup("partner@other.example");
            assertThat(found).hasSize(1);
            PublishedCertificate p = found.get(0);
            assertThat(p.certificate()).isEqualTo(bob.certificate());
            assertThat(p.chain()).containsExactlyInAnyOrderElementsOf(bob.chain());
            assertThat(p.capabilities().algorithmOids()).containsExactly(AES256);
            assertThat(p.seen()).isEqualTo(seen);

            Entry entry = directory.server().getEntry("cn=partner@other.example," + AdDirectory.HARVESTED);
            assertThat(entry).isNotNull();
            assertThat(entry.getAttributeValue("mail")).isEqualTo("partner@other.example");
            assertThat(entry.getAttribute("userCertificate;binary").getValueByteArray())
                    .isEqualTo(bob.certificate().getEncoded());
        }
    }

    @Test
    void harvestingAgainUpdatesTimeAndCapabilitiesAndAddsARenewedCertificate() throws Exception {
        LdapConfig config = config().withHarvestBaseDn(AdDirectory.HARVESTED);
        Instant first = clock.instant().minus(Duration.ofDays(27));
        Instant later = clock.instant().minus(Duration.ofDays(8));
        TestPki.Issued renewed = pki.issue("partner@other.example");
        try (LdapCertificateSource gateway1 = source(config); LdapCertificateSource gateway2 = source(config)) {
            gateway1.store(new HarvestedCertificate("partner@other.example", bob.certificate(), bob.chain(),
                    SmimeCapabilities.UNKNOWN, first));
            gateway2.store(new HarvestedCertificate("partner@other.example", bob.certificate(), bob.chain(),
                    new SmimeCapabilities(List.of(AES128)), later));
            gateway2.store(new HarvestedCertificate("partner@other.example", bob.certificate(), bob.chain(),
                    new SmimeCapabilities(List.of(AES128)), first)); // older sighting: keeps the later time
            gateway1.store(new HarvestedCertificate("partner@other.example", renewed.certificate(), renewed.chain(),
                    new SmimeCapabilities(List.of(AES256)), later));

            List<PublishedCertificate> found = gateway1.lookup("partner@other.example");
            assertThat(found).extracting(PublishedCertificate::certificate)
                    .containsExactlyInAnyOrder(bob.certificate(), renewed.certificate());
            PublishedCertificate old = found.stream().filter(p -> p.certificate().equals(bob.certificate()))
                    .findFirst().orElseThrow();
            assertThat(old.seen()).isEqualTo(later);
            assertThat(old.capabilities().algorithmOids()).containsExactly(AES128);
            Entry entry = directory.server().getEntry("cn=partner@other.example," + AdDirectory.HARVESTED);
            assertThat(entry.getAttributeValues("description")).hasSize(2);
        }
    }

    @Test
    void theNewestCapabilitiesSeenApplyBetweenThePublishedBlobAndTheHarvestSubtree() throws Exception {
        // Outlook published the certificate with capabilities (the blob's signingTime is when); a harvest of the same
        // certificate later announced others: the later ones apply; a harvest seen before the blob does not
        String bobDn = directory.addUser("Bob", "bob@example.com");
        directory.addValues(bobDn, "userSMIMECertificate", Pkcs7Blobs.signedWithCapabilities(bob, List.of(AES256)));
        String carolDn = directory.addUser("Carol", "carol@example.com");
        directory.addValues(carolDn, "userSMIMECertificate", Pkcs7Blobs.signedWithCapabilities(carol, List.of(AES256)));
        LdapConfig config = config().withHarvestBaseDn(AdDirectory.HARVESTED);
        try (LdapCertificateSource source = source(config)) {
            source.store(new HarvestedCertificate("bob@example.com", bob.certificate(), bob.chain(),
                    new SmimeCapabilities(List.of(AES128)), Instant.now().plus(Duration.ofMinutes(1))));
            source.store(new HarvestedCertificate("carol@example.com", carol.certificate(), carol.chain(),
                    new SmimeCapabilities(List.of(AES128)), Instant.now().minus(Duration.ofDays(1))));

            assertThat(source.lookup("bob@example.com")).singleElement()
                    .satisfies(p -> assertThat(p.capabilities().algorithmOids()).containsExactly(AES128));
            assertThat(source.lookup("carol@example.com")).singleElement()
                    .satisfies(p -> assertThat(p.capabilities().algorithmOids()).containsExactly(AES256));
        }
    }

    @Test
    void anOlderHarvestWrittenBackLateKeepsTheNewerCapabilities() throws Exception {
        LdapConfig config = config().withHarvestBaseDn(AdDirectory.HARVESTED);
        Instant newer = clock.instant().minus(Duration.ofDays(8));
        try (LdapCertificateSource gateway1 = source(config); LdapCertificateSource gateway2 = source(config)) {
            gateway1.store(new HarvestedCertificate("partner@other.example", bob.certificate(), bob.chain(),
                    new SmimeCapabilities(List.of(AES128)), newer));
            gateway2.store(new HarvestedCertificate("partner@other.example", bob.certificate(), bob.chain(),
                    new SmimeCapabilities(List.of(AES256)), newer.minus(Duration.ofDays(3))));

            assertThat(gateway1.lookup("partner@other.example")).singleElement().satisfies(p -> {
                assertThat(p.capabilities().algorithmOids()).containsExactly(AES128);
                assertThat(p.seen()).isEqualTo(newer);
            });
        }
    }

    @Test
    void harvestSubtreeOutsideTheBaseDnIsSearchedToo() throws Exception {
        directory.server().add(new Entry("dn: OU=Gateways," + AdDirectory.BASE, "objectClass: organizationalUnit",
                "ou: Gateways"));
        LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.USERS)
                .withHarvestBaseDn("OU=Gateways," + AdDirectory.BASE);
        try (LdapCertificateSource source = source(config)) {
            source.store(new HarvestedCertificate("x@partner.example", carol.certificate(), List.of(),
                    null, clock.instant()));
            assertThat(source.lookup("x@partner.example")).hasSize(1);
        }
    }

    @Test
    void storeWithoutHarvestSubtreeIsRefused() {
        try (LdapCertificateSource source = source(config())) {
            assertThat(source.harvestEnabled()).isFalse();
            assertThatThrownBy(() -> source.store(new HarvestedCertificate("x@partner.example",
                    carol.certificate(), List.<X509Certificate>of(), null, clock.instant())))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void configDefaultsForNullComponents() {
        LdapConfig c = new LdapConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
        assertThat(c.urls()).isEmpty();
        assertThat(c.filter()).isEqualTo("(|(mail={0})(proxyAddresses=smtp:{0}))");
        assertThat(c.startTls()).isFalse();
        assertThat(c.insecureTrustAll()).isFalse();
        assertThat(c.connectTimeoutMillis()).isEqualTo(3000);
        assertThat(c.responseTimeoutMillis()).isEqualTo(5000);
        assertThat(c.poolSize()).isEqualTo(4);
        assertThat(c.cacheTtlSeconds()).isEqualTo(300);
        assertThat(c.negativeCacheTtlSeconds()).isEqualTo(60);
        assertThat(c.cacheSettings().ttl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.cacheSettings().negativeTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.cacheSettings().staleIfUnavailable()).isEqualTo(Duration.ofHours(1));
        assertThat(c.trustBaseDn()).isNull();
        assertThat(c.trustRefreshSeconds()).isEqualTo(300);
        assertThat(c.harvestObjectClasses()).contains("inetOrgPerson");
        assertThat(c.retryAfterFailureMillis()).isEqualTo(2000);
        assertThatThrownBy(() -> LdapConfig.of(List.of(), "dc=x").withTimeouts(0, 10))
                .hasMessageContaining("connectTimeoutMillis");
    }
}
