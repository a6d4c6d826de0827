package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/**
 * The store-backed facts: certificates from the test PKI, validated by the certstore's PkixCertificateValidator
 * against the PKI's root, an in-memory store whose directory can be "down".
 */
class CertificateStorePolicyFactsTest {

    private final TestPki pki = TestPki.create("Facts");
    private final MapStore store = new MapStore();

    /** OFF: no revocation checks; SOFT_FAIL/HARD_FAIL: no CRL reachable (the test certificates name none). */
    private CertificateStorePolicyFacts facts(CertStoreConfig.RevocationMode mode, boolean withCurrentCrl) {
        TrustCollection trust = new TrustCollection(List.of(pki.rootCertificate()),
                List.of(pki.intermediate().certificate()),
                withCurrentCrl ? List.of(pki.crl(Instant.now().plus(Duration.ofDays(7)))) : List.of());
        PkixCertificateValidator validator = new PkixCertificateValidator(() -> trust,
                new CertStoreConfig.Revocation(mode, false, false, false, 2, 60), Clock.systemUTC());
        return new CertificateStorePolicyFacts(store, validator,
                CertificateStorePolicyFacts.domains(Set.of("example.com", "*.example.net")), Clock.systemUTC());
    }

    private CertificateStorePolicyFacts facts(boolean unused) {
        return facts(CertStoreConfig.RevocationMode.OFF, false);
    }

    @Test
    void internalDomainsExactAndWildcard() {
        CertificateStorePolicyFacts f = facts(CertStoreConfig.RevocationMode.OFF, false);
        assertThat(f.isInternal("A@Example.com")).isTrue();
        assertThat(f.isInternal("a@sub.example.net")).isTrue();
        assertThat(f.isInternal("a@example.net")).isFalse();
        assertThat(f.isInternal("a@partner.example")).isFalse();
    }

    @Test
    void signingKeyUsableMissingOrExpired() {
        TestPki.Issued finance = pki.issue("finance@example.com");
        store.keys.put("finance@example.com", new UserKey(finance.privateKey(), finance.certificate(), finance.chain(),
                KeyStorage.HARDWARE));
        TestPki.Issued old = pki.user("old@example.com")
                .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(35))).issue();
        store.keys.put("old@example.com", new UserKey(old.privateKey(), old.certificate(), old.chain(), KeyStorage.SOFTWARE));

        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).signingKey("finance@example.com")).isEqualTo(
                new SigningKeyFact.Usable(CertificateSummary.of(finance.certificate()), KeyStorage.HARDWARE));
        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).signingKey("nobody@example.com")).isInstanceOf(SigningKeyFact.Missing.class);
        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).signingKey("old@example.com")).isInstanceOfSatisfying(SigningKeyFact.Missing.class,
                m -> assertThat(m.reason()).contains("not valid for signing"));
    }

    @Test
    void recipientCertificateValidNoneOrDirectoryDown() {
        TestPki.Issued expired = pki.user("bob@partner.example")
                .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(35))).issue();
        TestPki.Issued current = pki.issue("bob@partner.example");
        SmimeCapabilities caps = PolicyFixtures.caps(EncryptionAlgorithm.AES256);
        store.published.put("bob@partner.example", List.of(
                new PublishedCertificate(expired.certificate(), expired.chain(), SmimeCapabilities.UNKNOWN, "ldap", Instant.now()),
                new PublishedCertificate(current.certificate(), current.chain(), caps, "ldap", Instant.now())));
        store.published.put("eve@partner.example", List.of(
                new PublishedCertificate(expired.certificate(), expired.chain(), caps, "harvested", Instant.now())));

        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).recipientCertificate("bob@partner.example")).isEqualTo(new RecipientCertificateFact.Valid(
                CertificateSummary.of(current.certificate()), caps, RevocationStatus.GOOD));
        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).recipientCertificate("eve@partner.example"))
                .isInstanceOfSatisfying(RecipientCertificateFact.None.class,
                        n -> assertThat(n.reason()).contains("no valid certificate").contains("harvested"));
        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).recipientCertificate("nobody@partner.example"))
                .isInstanceOf(RecipientCertificateFact.None.class);
        store.down = true;
        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).recipientCertificate("bob@partner.example"))
                .isInstanceOf(RecipientCertificateFact.DirectoryUnavailable.class);
    }

    @Test
    void revocationStatusFollowsTheValidator() {
        TestPki.Issued bob = pki.issue("bob@partner.example");
        store.published.put("bob@partner.example", List.of(new PublishedCertificate(bob.certificate(), bob.chain(),
                SmimeCapabilities.UNKNOWN, "ldap", Instant.now())));

        // revocation checks off: usable
        assertThat(facts(CertStoreConfig.RevocationMode.OFF, false).recipientCertificate("bob@partner.example"))
                .isInstanceOfSatisfying(RecipientCertificateFact.Valid.class,
                        v -> assertThat(v.revocation()).isEqualTo(RevocationStatus.GOOD));
        // soft-fail, no CRL for the intermediate (the test PKI's root issues none): usable, status unknown (the
        // pair's OWACheckCRLOnSend decides)
        assertThat(facts(CertStoreConfig.RevocationMode.SOFT_FAIL, false).recipientCertificate("bob@partner.example"))
                .isInstanceOfSatisfying(RecipientCertificateFact.Valid.class,
                        v -> assertThat(v.revocation()).isEqualTo(RevocationStatus.UNKNOWN));
        // hard-fail, no CRL: transient, deferred like a directory outage (never refused, never clear)
        assertThat(facts(CertStoreConfig.RevocationMode.HARD_FAIL, false).recipientCertificate("bob@partner.example"))
                .isInstanceOfSatisfying(RecipientCertificateFact.DirectoryUnavailable.class,
                        d -> assertThat(d.reason()).contains("revocation status"));
        // hard-fail with the intermediate's CRL only: the intermediate's own status is still unknown
        assertThat(facts(CertStoreConfig.RevocationMode.HARD_FAIL, true).recipientCertificate("bob@partner.example"))
                .isInstanceOf(RecipientCertificateFact.DirectoryUnavailable.class);
    }

    @Test
    void revokedCertificateIsNotUsed() {
        TestPki.Issued bob = pki.issue("bob@partner.example");
        store.published.put("bob@partner.example", List.of(new PublishedCertificate(bob.certificate(), bob.chain(),
                SmimeCapabilities.UNKNOWN, "ldap", Instant.now())));
        TrustCollection trust = new TrustCollection(List.of(pki.rootCertificate()),
                List.of(pki.intermediate().certificate()),
                List.of(pki.crl(Instant.now().plus(Duration.ofDays(7)), bob.certificate())));
        CertificateStorePolicyFacts f = new CertificateStorePolicyFacts(store, new PkixCertificateValidator(
                () -> trust, CertStoreConfig.Revocation.defaults(), Clock.systemUTC()), a -> false, Clock.systemUTC());

        assertThat(f.recipientCertificate("bob@partner.example")).isInstanceOfSatisfying(
                RecipientCertificateFact.None.class, n -> assertThat(n.reason()).contains("REVOKED"));
    }

    /** An in-memory store; {@code down} makes lookups fail as a directory outage does. */
    private static final class MapStore implements CertificateStore {
        final Map<String, List<PublishedCertificate>> published = new HashMap<>();
        final Map<String, UserKey> keys = new HashMap<>();
        boolean down;

        @Override
        public List<PublishedCertificate> encryptionCertificates(String address) throws DirectoryUnavailableException {
            if (down) {
                throw new DirectoryUnavailableException("ldap://dc1.example.com: connection refused");
            }
            return published.getOrDefault(address, List.of());
        }

        @Override
        public Optional<UserKey> signingKey(String address) {
            return Optional.ofNullable(keys.get(address));
        }

        @Override
        public List<UserKey> decryptionKeys(String address) {
            return List.of();
        }

        @Override
        public TrustCollection trust() {
            return TrustCollection.EMPTY;
        }

        @Override
        public void harvest(HarvestedCertificate certificate) {
        }
    }
}
