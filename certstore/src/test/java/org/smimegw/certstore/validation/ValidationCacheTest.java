package org.smimegw.certstore.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertStoreConfig.RevocationMode;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.ValidationFailure.Reason;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.testing.MutableClock;
import org.smimegw.certstore.testing.TestPki;

/** The validator's result cache: reused only while nothing that decides the result can have changed. */
class ValidationCacheTest {

    private static final TestPki PKI = TestPki.create("Cache");
    private static final Instant NOW = Instant.now();

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicReference<TrustCollection> trust = new AtomicReference<>(new TrustCollection(
            List.of(PKI.rootCertificate()), List.of(PKI.intermediate().certificate()), List.of()));

    private PkixCertificateValidator validator(CertStoreConfig.Revocation revocation, Duration ttl) {
        return new PkixCertificateValidator(trust::get, revocation, clock, ttl, 1000);
    }

    private static CertStoreConfig.Revocation off() {
        return CertStoreConfig.Revocation.defaults().withMode(RevocationMode.OFF);
    }

    /** Hard-fail against the store's CRLs only (no fetching, no OCSP), cached for {@code minutes}. */
    private static CertStoreConfig.Revocation hardFail(int minutes) {
        return new CertStoreConfig.Revocation(RevocationMode.HARD_FAIL, false, false, false, 2, minutes);
    }

    @Test
    void sameQueryIsAnsweredFromTheCacheWithTheSameResult() {
        TestPki.Issued alice = PKI.issue("alice@example.com");
        PkixCertificateValidator v = validator(off(), Duration.ofSeconds(60));
        ValidationResult first = v.validate(alice.certificate(), alice.chain(), Purpose.SIGN, "alice@example.com", NOW);
        clock.advance(Duration.ofSeconds(30));
        ValidationResult second = v.validate(alice.certificate(), alice.chain(), Purpose.SIGN, "Alice@Example.COM",
                NOW.plusSeconds(30));
        assertThat(first.isValid()).isTrue();
        assertThat(second).isEqualTo(first);
        assertThat(v.cachedResults()).isEqualTo(1);
    }

    @Test
    void purposeAddressAndSuppliedCertificatesArePartOfTheKey() {
        TestPki.Issued signOnly = PKI.user("s@example.com").keyUsage(KeyUsage.digitalSignature).issue();
        PkixCertificateValidator v = validator(off(), Duration.ofSeconds(60));
        assertThat(v.validate(signOnly.certificate(), List.of(), Purpose.SIGN, "s@example.com", NOW).isValid()).isTrue();
        assertThat(v.validate(signOnly.certificate(), List.of(), Purpose.ENCRYPT, "s@example.com", NOW)
                .hasFailure(Reason.KEY_USAGE)).isTrue();
        assertThat(v.validate(signOnly.certificate(), List.of(), Purpose.SIGN, "t@example.com", NOW)
                .hasFailure(Reason.ADDRESS_MISMATCH)).isTrue();
        assertThat(v.validate(signOnly.certificate(), signOnly.chain(), Purpose.SIGN, "s@example.com", NOW)
                .isValid()).isTrue();
        assertThat(v.cachedResults()).isZero();
        // an invalid result is reused as well
        assertThat(v.validate(signOnly.certificate(), List.of(), Purpose.ENCRYPT, "s@example.com", NOW)
                .hasFailure(Reason.KEY_USAGE)).isTrue();
        assertThat(v.cachedResults()).isEqualTo(1);
    }

    @Test
    void resultsExpireAfterTheTimeToLive() {
        TestPki.Issued alice = PKI.issue("alice@example.com");
        PkixCertificateValidator v = validator(off(), Duration.ofSeconds(60));
        v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW);
        clock.advance(Duration.ofSeconds(61));
        v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(v.cachedResults()).as("by the clock").isZero();
        // an instant asked about further from the cached one than the ttl is validated anew
        v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW.minus(Duration.ofMinutes(5)));
        assertThat(v.cachedResults()).as("by the instant asked about").isZero();
    }

    @Test
    void aNewTrustSnapshotSuchAsAnImportedCrlIsSeenAtOnce() {
        TestPki.Issued revoked = PKI.issue("r@example.com");
        PkixCertificateValidator v = validator(hardFail(60), Duration.ofSeconds(60));
        X509CRL intermediateCrl = PKI.crl(NOW.plus(Duration.ofDays(7)));
        X509CRL rootCrl = rootCrl();
        trust.set(new TrustCollection(List.of(PKI.rootCertificate()), List.of(PKI.intermediate().certificate()),
                List.of(intermediateCrl, rootCrl)));
        assertThat(v.validate(revoked.certificate(), List.of(), Purpose.ENCRYPT, null, NOW).isValid()).isTrue();
        assertThat(v.validate(revoked.certificate(), List.of(), Purpose.ENCRYPT, null, NOW).isValid()).isTrue();
        assertThat(v.cachedResults()).isEqualTo(1);

        trust.set(new TrustCollection(List.of(PKI.rootCertificate()), List.of(PKI.intermediate().certificate()),
                List.of(PKI.crl(NOW.plus(Duration.ofDays(7)), revoked.certificate()), rootCrl)));
        assertThat(v.validate(revoked.certificate(), List.of(), Purpose.ENCRYPT, null, NOW).failures())
                .extracting(f -> f.reason()).containsExactly(Reason.REVOKED);
        assertThat(v.cachedResults()).isEqualTo(1);
    }

    @Test
    void unknownRevocationStatusIsKeptForTheTimeToLiveThenAskedAgain() {
        TestPki.Issued alice = PKI.issue("alice@example.com");
        PkixCertificateValidator v = validator(hardFail(60), Duration.ofSeconds(60));
        // no CRL in the store, nothing fetched: unknown, a failure under hard-fail
        assertThat(v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW)
                .hasFailure(Reason.REVOCATION_UNKNOWN)).isTrue();
        assertThat(v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW)
                .hasFailure(Reason.REVOCATION_UNKNOWN)).isTrue();
        assertThat(v.cachedResults()).isEqualTo(1);
        // a minute later (same trust snapshot) the sources are asked again
        clock.advance(Duration.ofSeconds(61));
        assertThat(v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW.plusSeconds(61))
                .hasFailure(Reason.REVOCATION_UNKNOWN)).isTrue();
        assertThat(v.cachedResults()).isEqualTo(1);
    }

    @Test
    void revocationCacheMinutesZeroTurnsResultCachingOff() {
        TestPki.Issued alice = PKI.issue("alice@example.com");
        trust.set(new TrustCollection(List.of(PKI.rootCertificate()), List.of(PKI.intermediate().certificate()),
                List.of(PKI.crl(NOW.plus(Duration.ofDays(7))), rootCrl())));
        PkixCertificateValidator v = validator(hardFail(0), Duration.ofSeconds(60));
        assertThat(v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
        assertThat(v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
        assertThat(v.cachedResults()).isZero();

        PkixCertificateValidator noCache = validator(off(), Duration.ZERO);
        noCache.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW);
        noCache.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(noCache.cachedResults()).isZero();
    }

    @Test
    void aResultIsNotReusedAcrossTheEndOfTheCertificatesValidity() {
        Instant notAfter = NOW.plusSeconds(20);
        TestPki.Issued shortLived = PKI.user("short@example.com").validity(NOW.minus(Duration.ofDays(1)), notAfter)
                .issue();
        PkixCertificateValidator v = validator(off(), Duration.ofSeconds(60));
        assertThat(v.validate(shortLived.certificate(), List.of(), Purpose.ENCRYPT, null, NOW).isValid()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(v.validate(shortLived.certificate(), List.of(), Purpose.ENCRYPT, null, NOW.plusSeconds(10))
                .isValid()).isTrue();
        assertThat(v.cachedResults()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(20));
        // the certificate's notAfter has second precision
        Instant after = shortLived.certificate().getNotAfter().toInstant().plusSeconds(1);
        assertThat(v.validate(shortLived.certificate(), List.of(), Purpose.ENCRYPT, null, after).failures())
                .extracting(f -> f.reason()).containsExactly(Reason.EXPIRED);
        assertThat(v.cachedResults()).isEqualTo(1);
        // and an expiry is not kept: asked again, validated again
        v.validate(shortLived.certificate(), List.of(), Purpose.ENCRYPT, null, after);
        assertThat(v.cachedResults()).isEqualTo(1);
    }

    @Test
    void theCacheStaysWithinItsBound() {
        PkixCertificateValidator v = new PkixCertificateValidator(trust::get, off(), clock, Duration.ofSeconds(60), 3);
        List<TestPki.Issued> users = List.of(PKI.issue("u1@example.com"), PKI.issue("u2@example.com"),
                PKI.issue("u3@example.com"), PKI.issue("u4@example.com"), PKI.issue("u5@example.com"));
        for (TestPki.Issued u : users) {
            assertThat(v.validate(u.certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
        }
        assertThat(v.resultCacheSize()).isLessThanOrEqualTo(3);
        assertThat(v.validate(users.get(4).certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
        assertThat(v.cachedResults()).isEqualTo(1);
    }

    /** The root's empty CRL, so that hard-fail has a status for the intermediate too. */
    private static X509CRL rootCrl() {
        try {
            var builder = new org.bouncycastle.cert.X509v2CRLBuilder(
                    new org.bouncycastle.cert.X509CertificateHolder(PKI.rootCertificate().getEncoded()).getSubject(),
                    java.util.Date.from(NOW.minus(Duration.ofDays(1))));
            builder.setNextUpdate(java.util.Date.from(NOW.plus(Duration.ofDays(30))));
            var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                    .build(PKI.root().privateKey());
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
