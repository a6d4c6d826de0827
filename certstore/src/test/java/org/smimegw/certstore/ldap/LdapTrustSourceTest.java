package org.smimegw.certstore.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.unboundid.ldap.sdk.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.MergedTrust;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.validation.PkixCertificateValidator;

/**
 * Trust anchors, intermediates and CRLs read from a directory subtree laid out as Active Directory's Public Key
 * Services container (roots in CN=Certification Authorities, intermediates in CN=AIA, CRLs in CN=CDP), in the
 * in-process UnboundID server over TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdapTrustSourceTest {
    private static final String PKS = "CN=Public Key Services,OU=SMIME," + AdDirectory.BASE;

    private final Clock clock = Clock.systemUTC();
    private TestPki pki;
    private TestPki.Issued alice;
    private TestPki.Issued bob;
    private AdDirectory directory;

    @BeforeAll
    void pki() {
        pki = TestPki.create("DirTrust");
        alice = pki.issue("alice@example.com");
        bob = pki.issue("bob@example.com");
    }

    @BeforeEach
    void directory() throws Exception {
        directory = AdDirectory.start();
        container(PKS);
        for (String c : List.of("Certification Authorities", "AIA", "CDP")) {
            container("CN=" + c + "," + PKS);
        }
    }

    @AfterEach
    void stop() {
        directory.close();
    }

    private void container(String dn) throws Exception {
        String cn = dn.substring(3, dn.indexOf(','));
        directory.server().add(new Entry("dn: " + dn, "objectClass: top", "objectClass: applicationProcess",
                "cn: " + cn)); // AD uses its own class "container"
    }

    private String caEntry(String cn, String container, byte[] certificate) throws Exception {
        String dn = "CN=" + cn + ",CN=" + container + "," + PKS;
        directory.server().add(new Entry("dn: " + dn, "objectClass: top", "objectClass: applicationProcess",
                "objectClass: pkiCA", "cn: " + cn));
        directory.addValues(dn, "cACertificate;binary", certificate);
        return dn;
    }

    private String crlEntry(String cn, X509CRL crl) throws Exception {
        String dn = "CN=" + cn + ",CN=CDP," + PKS;
        directory.server().add(new Entry("dn: " + dn, "objectClass: top", "objectClass: cRLDistributionPoint",
                "cn: " + cn));
        directory.addValues(dn, "certificateRevocationList;binary", crl.getEncoded());
        return dn;
    }

    private LdapTrustSource source(String trustBase) {
        return source(directory.url(), trustBase);
    }

    private LdapTrustSource source(String url, String trustBase) {
        LdapConfig config = LdapConfig.of(List.of(url), AdDirectory.BASE).withTrustBaseDn(trustBase);
        return new LdapTrustSource(config, new SecretReferences(Map.<String, String>of()::get), clock);
    }

    @Test
    void readsAnchorsIntermediatesAndCrlsAndSkipsWhatIsNotACaOrDoesNotParse() throws Exception {
        caEntry("Root", "Certification Authorities", pki.rootCertificate().getEncoded());
        caEntry("Issuing", "AIA", pki.intermediate().certificate().getEncoded());
        String junk = caEntry("Junk", "AIA", new byte[] {1, 2, 3});
        directory.addValues(junk, "cACertificate;binary", alice.certificate().getEncoded()); // not a CA
        X509CRL crl = pki.crl(Instant.now().plus(Duration.ofDays(7)), bob.certificate());
        crlEntry("Issuing", crl);
        // a CA outside the trust subtree is not read
        directory.server().add(new Entry("dn: CN=Outside," + AdDirectory.USERS, "objectClass: top",
                "objectClass: applicationProcess", "objectClass: pkiCA", "cn: Outside"));
        directory.addValues("CN=Outside," + AdDirectory.USERS, "cACertificate;binary",
                TestPki.create("Other").rootCertificate().getEncoded());

        try (LdapTrustSource source = source(PKS)) {
            assertThat(source.get()).isEqualTo(TrustCollection.EMPTY);
            assertThat(source.refresh()).isEqualTo("directory trust 1 anchor(s), 1 intermediate(s), 1 CRL(s)");
            TrustCollection trust = source.get();
            assertThat(trust.roots()).containsExactly(pki.rootCertificate());
            assertThat(trust.intermediates()).containsExactly(pki.intermediate().certificate());
            assertThat(trust.crls()).containsExactly(crl);
        }
    }

    @Test
    void theSnapshotInstanceChangesOnlyWhenTheDirectoryDid() throws Exception {
        caEntry("Root", "Certification Authorities", pki.rootCertificate().getEncoded());
        try (LdapTrustSource source = source(PKS)) {
            source.refresh();
            TrustCollection first = source.get();
            assertThat(source.refresh()).endsWith("(unchanged)");
            assertThat(source.get()).isSameAs(first);
            caEntry("Issuing", "AIA", pki.intermediate().certificate().getEncoded());
            source.refresh();
            assertThat(source.get()).isNotSameAs(first);
            assertThat(source.get().intermediates()).containsExactly(pki.intermediate().certificate());
        }
    }

    @Test
    void oneImportIntoTheDirectoryMakesTheValidatorTrustAndSeeRevocations() throws Exception {
        caEntry("Root", "Certification Authorities", pki.rootCertificate().getEncoded());
        caEntry("Issuing", "AIA", pki.intermediate().certificate().getEncoded());
        crlEntry("Issuing", pki.crl(Instant.now().plus(Duration.ofDays(7)), bob.certificate()));
        CertStoreConfig.Revocation crlsOnly = new CertStoreConfig.Revocation(CertStoreConfig.RevocationMode.SOFT_FAIL,
                null, false, false, null, null);
        try (LdapTrustSource source = source(PKS)) {
            PkixCertificateValidator validator = new PkixCertificateValidator(
                    new MergedTrust(List.of(() -> TrustCollection.EMPTY, source)), crlsOnly, clock);
            ValidationResult before = validator.validate(alice.certificate(), List.of(), Purpose.ENCRYPT,
                    "alice@example.com", Instant.now());
            assertThat(before.isValid()).isFalse(); // nothing read yet: no anchor

            source.refresh();
            ValidationResult good = validator.validate(alice.certificate(), List.of(), Purpose.ENCRYPT,
                    "alice@example.com", Instant.now());
            assertThat(good.isValid()).as(good.toString()).isTrue();
            ValidationResult revoked = validator.validate(bob.certificate(), List.of(), Purpose.ENCRYPT,
                    "bob@example.com", Instant.now());
            assertThat(revoked.failures()).extracting(ValidationFailure::reason)
                    .contains(ValidationFailure.Reason.REVOKED);
        }
    }

    @Test
    void anUnreachableDirectoryKeepsTheLastSnapshotAndStartDoesNotFail() throws Exception {
        caEntry("Root", "Certification Authorities", pki.rootCertificate().getEncoded());
        String url = directory.url();
        try (LdapTrustSource source = source(PKS)) {
            source.start(); // reads once, the directory is up
            assertThat(source.get().roots()).containsExactly(pki.rootCertificate());
            directory.shutDown();
            assertThatThrownBy(source::refresh).isInstanceOf(DirectoryUnavailableException.class);
            assertThat(source.get().roots()).containsExactly(pki.rootCertificate());
        }
        try (LdapTrustSource down = source(url, PKS)) {
            down.start(); // logged, not thrown
            assertThat(down.get()).isEqualTo(TrustCollection.EMPTY);
        }
    }

    @Test
    void theBackgroundRefreshPicksUpANewAnchor() throws Exception {
        LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE).withTrustBaseDn(PKS)
                .withTrustRefreshSeconds(1);
        try (LdapTrustSource source = new LdapTrustSource(config, new SecretReferences(Map.<String, String>of()::get),
                clock)) {
            source.start();
            assertThat(source.get().roots()).isEmpty();
            caEntry("Root", "Certification Authorities", pki.rootCertificate().getEncoded());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (source.get().roots().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(source.get().roots()).containsExactly(pki.rootCertificate());
        }
    }

    @Test
    void withoutTrustBaseDnThereIsNoSource() {
        LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE);
        assertThatThrownBy(() -> new LdapTrustSource(config, new SecretReferences(Map.<String, String>of()::get),
                clock)).hasMessageContaining("certstore.ldap.trustBaseDn");
        assertThatThrownBy(() -> source("not a dn")).hasMessageContaining("certstore.ldap.trustBaseDn");
    }
}
