package org.smimegw.certstore.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.CertificateImporter;
import org.smimegw.certstore.importer.ImportReport;
import org.smimegw.certstore.importer.ImportReport.RefusalReason;
import org.smimegw.certstore.importer.WrongPasswordException;
import org.smimegw.certstore.testing.MutableClock;
import org.smimegw.certstore.testing.TestPki;

class FileCertificateStoreTest {

    private static final char[] P12_PASSWORD = "user-p12-pass".toCharArray();
    private static final TestPki PKI = TestPki.create("Store");

    @TempDir
    Path dir;
    private FileCertificateStore store;
    private CertificateImporter importer;

    @BeforeEach
    void setUp() {
        store = newStore(Clock.systemUTC(), Duration.ofSeconds(1));
        importer = new CertificateImporter(store, new CertificateFileParser(), Clock.systemUTC());
    }

    private FileCertificateStore newStore(Clock clock, Duration recheck) {
        KeyPasswordSource password = new KeyPasswordSource("env:STORE_PASS", Map.of("STORE_PASS", "store-key-pass")::get,
                false, dir);
        return new FileCertificateStore(dir.resolve("store"), password, clock, recheck);
    }

    @Test
    void trustImportFromSstTakesCasAndCrlsAndRefusesTheRestWithReasons() throws Exception {
        TestPki.Issued endEntity = PKI.issue("ee@example.com");
        TestPki old = TestPki.create("Old");
        X509CRL crl = PKI.crl(Instant.now().plus(Duration.ofDays(7)));
        // an expired CA: reuse the user builder's validity on a CA by creating a PKI whose CA is valid but a user
        // certificate expired is refused as not-a-CA first; so use an expired intermediate built by hand
        TestPki.Issued expiredUser = old.user("x@example.com")
                .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))).issue();
        Path sst = Files.write(dir.resolve("roots.sst"), TestPki.sst(List.of(PKI.rootCertificate(),
                PKI.intermediate().certificate(), endEntity.certificate(), expiredUser.certificate()), List.of(crl), true));

        ImportReport report = importer.importTrust(sst);

        assertThat(report.read()).hasSize(4);
        assertThat(report.imported()).extracting(i -> i.sha256()).containsExactly(
                Certificates.sha256(PKI.rootCertificate()), Certificates.sha256(PKI.intermediate().certificate()));
        assertThat(report.refused()).extracting(ImportReport.Refusal::reason)
                .containsExactly(RefusalReason.NOT_A_CA, RefusalReason.EXPIRED);
        assertThat(report.crlsImported()).isEqualTo(1);
        assertThat(store.trust().roots()).containsExactly(PKI.rootCertificate());
        assertThat(store.trust().intermediates()).containsExactly(PKI.intermediate().certificate());
        assertThat(store.trust().crls()).containsExactly(crl);

        ImportReport again = importer.importTrust(sst);
        assertThat(again.imported()).isEmpty();
        assertThat(again.refused()).extracting(ImportReport.Refusal::reason).containsExactly(
                RefusalReason.DUPLICATE, RefusalReason.DUPLICATE, RefusalReason.NOT_A_CA, RefusalReason.EXPIRED);
    }

    @Test
    void emptySstImportsNothing() throws Exception {
        ImportReport report = importer.importTrust(Files.write(dir.resolve("empty.sst"), new byte[0]));
        assertThat(report.read()).isEmpty();
        assertThat(store.trust().roots()).isEmpty();
    }

    @Test
    void userPkcs12KeyIsStoredUnderTheStorePasswordAndServesSigningAndDecryption() throws Exception {
        TestPki.Issued alice = PKI.issue("Alice@Example.com");
        Path p12 = TestPki.writePkcs12(alice, dir.resolve("alice.pfx"), P12_PASSWORD);

        ImportReport report = importer.importUser(p12, P12_PASSWORD, false);

        assertThat(report.keysImported()).isEqualTo(1);
        assertThat(report.refused()).isEmpty();
        UserKey key = store.signingKey("alice@example.com").orElseThrow();
        assertThat(key.certificate()).isEqualTo(alice.certificate());
        assertThat(key.storage()).isEqualTo(KeyStorage.SOFTWARE);
        assertThat(key.privateKey().getEncoded()).isEqualTo(alice.privateKey().getEncoded());
        assertThat(key.chain()).containsExactly(PKI.intermediate().certificate(), PKI.rootCertificate());
        assertThat(store.decryptionKeys("ALICE@example.com")).extracting(UserKey::certificate)
                .containsExactly(alice.certificate());
        // the stored file opens with the store's key password, not the user's
        Path stored = dir.resolve("store/keys/" + Certificates.sha256(alice.certificate()) + ".p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(stored)) {
            ks.load(in, "store-key-pass".toCharArray());
        }
        assertThat(ks.size()).isEqualTo(1);
    }

    @Test
    void userKeyWithoutSubjectKeyIdentifierIsRefused() throws Exception {
        TestPki.Issued noSki = PKI.user("noski@example.com").withoutSubjectKeyIdentifier().issue();
        ImportReport report = importer.importUser(TestPki.writePkcs12(noSki, dir.resolve("n.p12"), P12_PASSWORD),
                P12_PASSWORD, false);
        assertThat(report.refused()).singleElement().satisfies(r ->
                assertThat(r.reason()).isEqualTo(RefusalReason.NO_SUBJECT_KEY_IDENTIFIER));
        assertThat(store.signingKey("noski@example.com")).isEmpty();
    }

    @Test
    void bareCertificateIsForEncryptionButRefusedWhenAKeyIsRequired() throws Exception {
        TestPki.Issued bob = PKI.issue("bob@example.com");
        Path pem = TestPki.writePem(dir.resolve("bob.pem"), bob.certificate());
        ImportReport required = importer.importUser(pem, null, true);
        assertThat(required.refused()).singleElement().satisfies(r ->
                assertThat(r.reason()).isEqualTo(RefusalReason.NO_PRIVATE_KEY));

        ImportReport report = importer.importUser(pem, null, false);
        assertThat(report.imported()).hasSize(1);
        assertThat(store.encryptionCertificates("bob@example.com")).extracting(PublishedCertificate::certificate)
                .containsExactly(bob.certificate());
        assertThat(store.signingKey("bob@example.com")).isEmpty();
    }

    @Test
    void userCertificateWithItsChainInOnePemKeepsTheChain() throws Exception {
        TestPki.Issued frank = PKI.issue("frank@example.com");
        Path pem = TestPki.writePem(dir.resolve("frank.pem"), frank.certificate(), PKI.intermediate().certificate(),
                PKI.rootCertificate());
        ImportReport report = importer.importUser(pem, null, false);
        assertThat(report.refused()).isEmpty();
        assertThat(report.imported()).hasSize(1);
        assertThat(store.lookup("frank@example.com")).singleElement().satisfies(p ->
                assertThat(p.chain()).containsExactly(PKI.intermediate().certificate(), PKI.rootCertificate()));
        assertThat(store.trust().roots()).isEmpty();   // never trusted through a user import
        // a lone CA certificate in a user import is refused
        ImportReport ca = importer.importUser(TestPki.writeDer(dir.resolve("ca.cer"), PKI.rootCertificate()), null, false);
        assertThat(ca.refused()).singleElement().satisfies(r ->
                assertThat(r.reason()).isEqualTo(RefusalReason.CA_IN_USER_IMPORT));
    }

    @Test
    void wrongPkcs12PasswordIsReportedAsSuch() throws Exception {
        Path p12 = TestPki.writePkcs12(PKI.issue("w@example.com"), dir.resolve("w.p12"), P12_PASSWORD);
        assertThatThrownBy(() -> importer.importUser(p12, "wrong".toCharArray(), false))
                .isInstanceOf(WrongPasswordException.class).hasMessageContaining("wrong password");
    }

    @Test
    void newestValidCertificateComesFirstForEncryption() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued older = PKI.user("multi@example.com").validity(now.minus(Duration.ofDays(100)),
                now.plus(Duration.ofDays(100))).issue();
        TestPki.Issued newer = PKI.user("multi@example.com").validity(now.minus(Duration.ofDays(2)),
                now.plus(Duration.ofDays(300))).issue();
        TestPki.Issued future = PKI.user("multi@example.com").validity(now.plus(Duration.ofDays(2)),
                now.plus(Duration.ofDays(400))).issue();
        for (TestPki.Issued i : List.of(older, future, newer)) {
            store.addUserCertificate(i.certificate(), List.of());
        }
        assertThat(store.encryptionCertificates("multi@example.com")).extracting(PublishedCertificate::certificate)
                .containsExactly(newer.certificate(), older.certificate(), future.certificate());
    }

    @Test
    void harvestedCertificateKeepsCapabilitiesAndTimeSeen() {
        TestPki.Issued carol = PKI.issue("carol@example.org");
        Instant seen = Instant.parse("2026-11-01T10:15:30Z");
        SmimeCapabilities caps = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.42", "2.16.840.1.101.3.4.1.2"));
        store.store(new HarvestedCertificate("Carol@Example.org", carol.certificate(),
                List.of(PKI.intermediate().certificate()), caps, seen));
        List<PublishedCertificate> found = store.lookup("carol@example.org");
        assertThat(found).singleElement().satisfies(p -> {
            assertThat(p.certificate()).isEqualTo(carol.certificate());
            assertThat(p.capabilities()).isEqualTo(caps);
            assertThat(p.seen()).isEqualTo(seen);
            assertThat(p.chain()).containsExactly(PKI.intermediate().certificate());
            assertThat(p.source()).contains("harvested");
        });
    }

    @Test
    void harvestingAKnownCertificateAgainWritesNothingUntilTheTimeSeenIsStale() throws Exception {
        TestPki.Issued dave = PKI.issue("dave@example.org");
        SmimeCapabilities caps = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.42"));
        List<X509Certificate> chain = List.of(PKI.intermediate().certificate());
        Instant first = Instant.parse("2026-11-01T10:00:00Z");
        Path generation = dir.resolve("store/generation");
        store.store(new HarvestedCertificate("dave@example.org", dave.certificate(), chain, caps, first));
        String afterFirst = Files.readString(generation);

        // the same certificate, chain and capabilities seen again soon after: nothing written, nothing reloaded
        store.store(new HarvestedCertificate("Dave@Example.org", dave.certificate(), chain, caps,
                first.plus(Duration.ofMinutes(30))));
        assertThat(Files.readString(generation)).isEqualTo(afterFirst);
        assertThat(store.lookup("dave@example.org")).singleElement()
                .satisfies(p -> assertThat(p.seen()).isEqualTo(first));

        // new capabilities are recorded at once
        SmimeCapabilities more = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.46", "2.16.840.1.101.3.4.1.42"));
        Instant second = first.plus(Duration.ofMinutes(40));
        store.store(new HarvestedCertificate("dave@example.org", dave.certificate(), chain, more, second));
        String afterCapabilities = Files.readString(generation);
        assertThat(afterCapabilities).isNotEqualTo(afterFirst);
        assertThat(store.lookup("dave@example.org")).singleElement()
                .satisfies(p -> assertThat(p.capabilities()).isEqualTo(more));

        // and the time seen is refreshed once the recorded one is older than the granularity
        Instant later = second.plus(FileCertificateStore.HARVEST_SEEN_GRANULARITY).plusSeconds(1);
        store.store(new HarvestedCertificate("dave@example.org", dave.certificate(), chain, more, later));
        assertThat(Files.readString(generation)).isNotEqualTo(afterCapabilities);
        assertThat(store.lookup("dave@example.org")).singleElement()
                .satisfies(p -> assertThat(p.seen()).isEqualTo(later));

        // another address with the same certificate is its own record
        store.store(new HarvestedCertificate("dave.alias@example.org", dave.certificate(), chain, more, later));
        assertThat(store.lookup("dave.alias@example.org")).singleElement()
                .satisfies(p -> assertThat(p.certificate()).isEqualTo(dave.certificate()));
    }

    @Test
    void anImportedCertificateTakesTheCapabilitiesHarvestedForIt() throws Exception {
        TestPki.Issued frank = PKI.issue("frank@example.org");
        SmimeCapabilities cbcOnly = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.42", "2.16.840.1.101.3.4.1.2"));
        store.addUserCertificate(frank.certificate(), frank.chain());
        store.store(new HarvestedCertificate("frank@example.org", frank.certificate(), frank.chain(), cbcOnly,
                Instant.now()));

        assertThat(store.encryptionCertificates("frank@example.org")).singleElement().satisfies(p -> {
            assertThat(p.certificate()).isEqualTo(frank.certificate());
            assertThat(p.capabilities()).isEqualTo(cbcOnly);
        });
    }

    @Test
    void anOlderSightingHarvestedLateDoesNotReplaceNewerCapabilities() {
        TestPki.Issued gina = PKI.issue("gina@example.org");
        SmimeCapabilities newer = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.46"));
        SmimeCapabilities older = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.42"));
        Instant t = Instant.parse("2026-11-10T10:00:00Z");
        store.store(new HarvestedCertificate("gina@example.org", gina.certificate(), List.of(), newer, t));
        store.store(new HarvestedCertificate("gina@example.org", gina.certificate(), List.of(), older,
                t.minus(Duration.ofDays(3))));

        assertThat(store.lookup("gina@example.org")).singleElement().satisfies(p -> {
            assertThat(p.capabilities()).isEqualTo(newer);
            assertThat(p.seen()).isEqualTo(t);
        });
    }

    @Test
    void keysAlreadyUnlockedSurviveAReloadOfTheStore() throws Exception {
        TestPki.Issued erin = PKI.issue("erin@example.org");
        store.addUserKey(erin.privateKey(), erin.certificate(), erin.chain());
        UserKey before = store.keys("erin@example.org").get(0);
        store.store(new HarvestedCertificate("frank@example.org", PKI.issue("frank@example.org").certificate(),
                List.of(), SmimeCapabilities.UNKNOWN, Instant.now()));
        assertThat(store.lookup("frank@example.org")).hasSize(1);  // reloaded
        assertThat(store.keys("erin@example.org")).singleElement().isSameAs(before);
        store.remove(Certificates.sha256(erin.certificate()));
        assertThat(store.keys("erin@example.org")).isEmpty();
    }

    @Test
    void changesByAnotherProcessAreSeenAfterTheRecheckIntervalWithoutRestart() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        FileCertificateStore gateway = newStore(clock, Duration.ofSeconds(1));
        assertThat(gateway.trust().roots()).isEmpty();
        var before = gateway.trust();

        store.addTrusted(PKI.rootCertificate());   // the CLI's store instance: another "process"

        assertThat(gateway.trust()).isSameAs(before);   // within the interval the snapshot is kept
        clock.advance(Duration.ofMillis(1001));
        assertThat(gateway.trust().roots()).containsExactly(PKI.rootCertificate());
        var after = gateway.trust();
        assertThat(gateway.trust()).isSameAs(after);    // unchanged directory: same snapshot, validators keep caches
    }

    @Test
    void removeByFingerprintPrefix() throws Exception {
        store.addTrusted(PKI.rootCertificate());
        store.addTrusted(PKI.intermediate().certificate());
        String fp = Certificates.sha256(PKI.intermediate().certificate());
        assertThat(store.remove(fp.substring(0, 12)).certificates()).hasSize(1);
        assertThat(store.trust().intermediates()).isEmpty();
        assertThat(store.trust().roots()).hasSize(1);
        assertThat(store.remove("00000000").isEmpty()).isTrue();
        X509CRL crl = PKI.crl(Instant.now().plus(Duration.ofDays(3)));
        store.addCrl(crl);
        assertThat(store.remove(Certificates.sha256(crl.getEncoded())).crls()).hasSize(1);
        assertThat(store.trust().crls()).isEmpty();
    }

    @Test
    void concurrentImportNeverDisturbsReaders() throws Exception {
        int users = 40;
        List<TestPki.Issued> issued = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            issued.add(PKI.user("u" + i + "@example.com").keyType(TestPki.KeyType.EC_P256).issue());
        }
        FileCertificateStore reader = newStore(Clock.systemUTC(), Duration.ZERO);  // re-checks on every call
        ExecutorService pool = Executors.newFixedThreadPool(3);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(2);
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(pool.submit(() -> {
                started.countDown();
                int lastSeen = 0;
                while (!done.get()) {
                    try {
                        int seen = 0;
                        for (int i = 0; i < users; i++) {
                            List<PublishedCertificate> l = reader.encryptionCertificates("u" + i + "@example.com");
                            if (!l.isEmpty()) {
                                assertThat(l).singleElement().extracting(PublishedCertificate::certificate)
                                        .isEqualTo(issued.get(i).certificate());
                                seen++;
                            }
                        }
                        assertThat(reader.trust().roots()).hasSizeLessThanOrEqualTo(1);
                        lastSeen = Math.max(lastSeen, seen);
                    } catch (Throwable t) {
                        errors.add(t);
                        return;
                    }
                }
            }));
        }
        started.await(30, TimeUnit.SECONDS);
        store.addTrusted(PKI.rootCertificate());
        for (TestPki.Issued i : issued) {
            store.addUserCertificate(i.certificate(), List.of());
        }
        done.set(true);
        for (Future<?> f : readers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(errors).isEmpty();
        for (int i = 0; i < users; i++) {
            assertThat(reader.encryptionCertificates("u" + i + "@example.com")).hasSize(1);
        }
        assertThat(Files.list(dir.resolve("store/users")).filter(p -> p.getFileName().toString().startsWith(".tmp")))
                .isEmpty();
    }

    @Test
    void keyWithoutEncipherUsageIsNotADecryptionKey() throws Exception {
        TestPki.Issued signOnly = PKI.user("signer@example.com").keyUsage(KeyUsage.digitalSignature).issue();
        store.addUserKey(signOnly.privateKey(), signOnly.certificate(), signOnly.chain());
        assertThat(store.signingKey("signer@example.com")).isPresent();
        assertThat(store.decryptionKeys("signer@example.com")).isEmpty();
    }

    @Test
    void lookupTimeFromTheFileStore() throws Exception {
        int n = 200;
        List<X509Certificate> certs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            X509Certificate c = PKI.user("perf" + i + "@example.com").keyType(TestPki.KeyType.EC_P256).issue().certificate();
            certs.add(c);
            store.addUserCertificate(c, List.of());
        }
        FileCertificateStore fresh = newStore(Clock.systemUTC(), Duration.ofSeconds(1));
        long loadStart = System.nanoTime();
        assertThat(fresh.lookup("perf0@example.com")).hasSize(1);
        long loadNanos = System.nanoTime() - loadStart;
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {   // warm-up
            fresh.encryptionCertificates("perf" + (i % n) + "@example.com");
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            assertThat(fresh.encryptionCertificates("perf" + (i % n) + "@example.com")).isNotEmpty();
        }
        long perLookup = (System.nanoTime() - start) / rounds;
        System.out.printf("file store: first lookup (loading %d certificates) %.1f ms; then %d ns per lookup (avg of %d)%n",
                n, loadNanos / 1e6, perLookup, rounds);
        store.addTrusted(PKI.rootCertificate());
        store.addTrusted(PKI.intermediate().certificate());
        var validator = new org.smimegw.certstore.validation.PkixCertificateValidator(fresh::trust,
                org.smimegw.certstore.CertStoreConfig.Revocation.defaults()
                        .withMode(org.smimegw.certstore.CertStoreConfig.RevocationMode.OFF));
        fresh.refresh();
        Instant now = Instant.now();
        for (int i = 0; i < 2000; i++) {
            validator.validate(certs.get(i % n), List.of(), org.smimegw.certstore.Purpose.ENCRYPT, null, now);
        }
        long vStart = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            assertThat(validator.validate(certs.get(i % n), List.of(), org.smimegw.certstore.Purpose.ENCRYPT,
                    "perf" + (i % n) + "@example.com", now).isValid()).isTrue();
        }
        System.out.printf("validation (path + PKIX + usage, revocation off): %d us per certificate (avg of 2000)%n",
                (System.nanoTime() - vStart) / 2000 / 1000);
    }
}
