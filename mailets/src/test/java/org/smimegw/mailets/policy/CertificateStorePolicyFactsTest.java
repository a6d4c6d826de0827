package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.testing.TestPki;

/**
 * The store-backed facts: certificates from the test PKI, validated by the JDK's PKIX validator against its root
 * (the certstore's own validator is not on main yet), an in-memory store whose directory can be "down".
 */
class CertificateStorePolicyFactsTest {

    private final TestPki pki = TestPki.create("Facts");
    private final MapStore store = new MapStore();

    private CertificateStorePolicyFacts facts(boolean checkRevocation) {
        return new CertificateStorePolicyFacts(store, new JdkPkixValidator(pki.rootCertificate(), checkRevocation),
                CertificateStorePolicyFacts.domains(Set.of("example.com", "*.example.net")), Clock.systemUTC());
    }

    @Test
    void internalDomainsExactAndWildcard() {
        CertificateStorePolicyFacts f = facts(false);
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

        assertThat(facts(false).signingKey("finance@example.com")).isEqualTo(
                new SigningKeyFact.Usable(CertificateSummary.of(finance.certificate()), KeyStorage.HARDWARE));
        assertThat(facts(false).signingKey("nobody@example.com")).isInstanceOf(SigningKeyFact.Missing.class);
        assertThat(facts(false).signingKey("old@example.com")).isInstanceOfSatisfying(SigningKeyFact.Missing.class,
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

        assertThat(facts(false).recipientCertificate("bob@partner.example")).isEqualTo(new RecipientCertificateFact.Valid(
                CertificateSummary.of(current.certificate()), caps, RevocationStatus.GOOD));
        assertThat(facts(false).recipientCertificate("eve@partner.example"))
                .isInstanceOfSatisfying(RecipientCertificateFact.None.class,
                        n -> assertThat(n.reason()).contains("no valid certificate").contains("harvested"));
        assertThat(facts(false).recipientCertificate("nobody@partner.example"))
                .isInstanceOf(RecipientCertificateFact.None.class);
        store.down = true;
        assertThat(facts(false).recipientCertificate("bob@partner.example"))
                .isInstanceOf(RecipientCertificateFact.DirectoryUnavailable.class);
    }

    @Test
    void certificateWhoseOnlyProblemIsUnknownRevocationIsMarkedForOwaCheckCrlOnSend() {
        TestPki.Issued bob = pki.issue("bob@partner.example");
        store.published.put("bob@partner.example", List.of(new PublishedCertificate(bob.certificate(), bob.chain(),
                SmimeCapabilities.UNKNOWN, "ldap", Instant.now())));

        assertThat(facts(true).recipientCertificate("bob@partner.example"))
                .isInstanceOfSatisfying(RecipientCertificateFact.Valid.class,
                        v -> assertThat(v.revocation()).isEqualTo(RevocationStatus.UNKNOWN));
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

    /** PKIX path validation by the JDK against one root; revocation checked only when asked (and then no CRL is reachable). */
    private record JdkPkixValidator(X509Certificate root, boolean checkRevocation) implements CertificateValidator {
        @Override
        public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> supplied,
                                         Purpose purpose, String address, Instant at) {
            List<ValidationFailure> failures = new ArrayList<>();
            try {
                List<X509Certificate> path = new ArrayList<>();
                path.add(certificate);
                supplied.stream().filter(c -> !c.equals(root)).forEach(path::add);
                PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
                params.setRevocationEnabled(checkRevocation);
                params.setDate(java.util.Date.from(at));
                CertPathValidator.getInstance("PKIX")
                        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            } catch (CertPathValidatorException e) {
                ValidationFailure.Reason reason = switch (e.getReason()) {
                    case CertPathValidatorException.BasicReason.EXPIRED -> ValidationFailure.Reason.EXPIRED;
                    case CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS ->
                            ValidationFailure.Reason.REVOCATION_UNKNOWN;
                    case CertPathValidatorException.BasicReason.REVOKED -> ValidationFailure.Reason.REVOKED;
                    default -> ValidationFailure.Reason.NO_PATH_TO_TRUST_ANCHOR;
                };
                failures.add(new ValidationFailure(reason, e.getMessage()));
            } catch (Exception e) {
                failures.add(new ValidationFailure(ValidationFailure.Reason.NO_PATH_TO_TRUST_ANCHOR, e.toString()));
            }
            return new ValidationResult(certificate, purpose, List.of(), failures);
        }
    }
}
