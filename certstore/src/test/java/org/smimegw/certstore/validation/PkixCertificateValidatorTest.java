package org.smimegw.certstore.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertStoreConfig.RevocationMode;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.ValidationFailure.Reason;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.testing.TestPki;

class PkixCertificateValidatorTest {

    private static final TestPki PKI = TestPki.create("Validator");
    private static final TestPki OTHER = TestPki.create("Stranger");
    private static final Instant NOW = Instant.now();

    private final AtomicReference<TrustCollection> trust = new AtomicReference<>(new TrustCollection(
            List.of(PKI.rootCertificate()), List.of(PKI.intermediate().certificate()), List.of()));

    private PkixCertificateValidator validator(RevocationMode mode) {
        return new PkixCertificateValidator(trust::get, CertStoreConfig.Revocation.defaults().withMode(mode));
    }

    private static CertStoreConfig.Revocation revocation(RevocationMode mode, boolean checkOnSend) {
        return new CertStoreConfig.Revocation(mode, checkOnSend, false, false, 2, 60);
    }

    @Test
    void validForBothPurposesWithPathToTheRoot() {
        TestPki.Issued alice = PKI.issue("alice@example.com");
        for (Purpose p : Purpose.values()) {
            ValidationResult r = validator(RevocationMode.OFF).validate(alice.certificate(), List.of(), p,
                    "Alice@Example.com", NOW);
            assertThat(r.failures()).isEmpty();
            assertThat(r.path()).containsExactly(alice.certificate(), PKI.intermediate().certificate(),
                    PKI.rootCertificate());
        }
    }

    @Test
    void intermediateSuppliedWithTheSignatureCompletesThePath() {
        trust.set(new TrustCollection(List.of(PKI.rootCertificate()), List.of(), List.of()));
        TestPki.Issued alice = PKI.issue("alice@example.com");
        PkixCertificateValidator v = validator(RevocationMode.OFF);
        assertThat(v.validate(alice.certificate(), List.of(), Purpose.SIGN, null, NOW)
                .hasFailure(Reason.NO_PATH_TO_TRUST_ANCHOR)).isTrue();
        assertThat(v.validate(alice.certificate(), List.of(PKI.intermediate().certificate()), Purpose.SIGN, null, NOW)
                .isValid()).isTrue();
    }

    @Test
    void unknownIssuerHasNoPath() {
        ValidationResult r = validator(RevocationMode.OFF).validate(OTHER.issue("x@example.com").certificate(),
                List.of(OTHER.intermediate().certificate()), Purpose.SIGN, null, NOW);
        assertThat(r.failures()).extracting(f -> f.reason()).containsExactly(Reason.NO_PATH_TO_TRUST_ANCHOR);
        assertThat(r.path()).isEmpty();
    }

    @Test
    void forgedIssuerNameIsAnInvalidSignature() {
        // a certificate naming our intermediate as issuer but signed by another key
        TestPki forger = TestPki.create("Validator");  // same CA names, different keys
        ValidationResult r = validator(RevocationMode.OFF).validate(forger.issue("x@example.com").certificate(),
                List.of(), Purpose.SIGN, null, NOW);
        assertThat(r.hasFailure(Reason.INVALID_SIGNATURE)).isTrue();
        assertThat(r.hasFailure(Reason.NO_PATH_TO_TRUST_ANCHOR)).isTrue();
    }

    @Test
    void expiredAndNotYetValid() {
        TestPki.Issued expired = PKI.user("e@example.com").validity(NOW.minus(Duration.ofHours(20)),
                NOW.minus(Duration.ofHours(1))).issue();
        TestPki.Issued future = PKI.user("f@example.com").validity(NOW.plus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30))).issue();
        assertThat(validator(RevocationMode.OFF).validate(expired.certificate(), List.of(), Purpose.ENCRYPT,
                "e@example.com", NOW).failures()).extracting(f -> f.reason()).containsExactly(Reason.EXPIRED);
        assertThat(validator(RevocationMode.OFF).validate(future.certificate(), List.of(), Purpose.ENCRYPT,
                "f@example.com", NOW).failures()).extracting(f -> f.reason()).containsExactly(Reason.NOT_YET_VALID);
        // the same certificate was fine when it was current
        assertThat(validator(RevocationMode.OFF).validate(expired.certificate(), List.of(), Purpose.ENCRYPT,
                "e@example.com", NOW.minus(Duration.ofHours(10))).isValid()).isTrue();
    }

    @Test
    void expiredChainCertificateIsReported() {
        Instant later = PKI.intermediate().certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));
        TestPki.Issued longLived = PKI.user("l@example.com").validity(NOW.minus(Duration.ofDays(1)),
                later.plus(Duration.ofDays(100))).issue();
        ValidationResult r = validator(RevocationMode.OFF).validate(longLived.certificate(), List.of(), Purpose.SIGN,
                null, later);
        assertThat(r.failures()).extracting(f -> f.reason()).containsExactly(Reason.EXPIRED);
        assertThat(r.failures().get(0).detail()).contains("Intermediate CA");
    }

    @Test
    void keyUsageIsCheckedPerPurpose() {
        TestPki.Issued encryptOnly = PKI.user("k@example.com").keyUsage(KeyUsage.keyEncipherment).issue();
        TestPki.Issued signOnly = PKI.user("k@example.com").keyUsage(KeyUsage.nonRepudiation).issue();
        PkixCertificateValidator v = validator(RevocationMode.OFF);
        assertThat(v.validate(encryptOnly.certificate(), List.of(), Purpose.SIGN, null, NOW).failures())
                .extracting(f -> f.reason()).containsExactly(Reason.KEY_USAGE);
        assertThat(v.validate(encryptOnly.certificate(), List.of(), Purpose.ENCRYPT, null, NOW).isValid()).isTrue();
        assertThat(v.validate(signOnly.certificate(), List.of(), Purpose.ENCRYPT, null, NOW).failures())
                .extracting(f -> f.reason()).containsExactly(Reason.KEY_USAGE);
        assertThat(v.validate(signOnly.certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
        TestPki.Issued ec = PKI.user("ec@example.com").keyType(TestPki.KeyType.EC_P256).issue();
        assertThat(v.validate(ec.certificate(), List.of(), Purpose.ENCRYPT, null, NOW).isValid()).isTrue(); // keyAgreement
    }

    @Test
    void extendedKeyUsage() {
        PkixCertificateValidator v = validator(RevocationMode.OFF);
        assertThat(v.validate(PKI.user("a@example.com").extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).issue()
                .certificate(), List.of(), Purpose.SIGN, null, NOW).failures()).extracting(f -> f.reason())
                .containsExactly(Reason.EXTENDED_KEY_USAGE);
        assertThat(v.validate(PKI.user("a@example.com").extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage).issue()
                .certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
        assertThat(v.validate(PKI.user("a@example.com").extendedKeyUsage().issue()
                .certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
    }

    @Test
    void addressChecks() {
        PkixCertificateValidator v = validator(RevocationMode.OFF);
        assertThat(v.validate(PKI.user("n@example.com").withoutEmailAddress().issue().certificate(), List.of(),
                Purpose.ENCRYPT, "n@example.com", NOW).failures()).extracting(f -> f.reason())
                .containsExactly(Reason.NO_EMAIL_ADDRESS);
        assertThat(v.validate(PKI.issue("m@example.com").certificate(), List.of(), Purpose.ENCRYPT,
                "other@example.com", NOW).failures()).extracting(f -> f.reason())
                .containsExactly(Reason.ADDRESS_MISMATCH);
    }

    @Test
    void weakRsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        TestPki.Issued weak = PKI.user("w@example.com").keyPair(g.generateKeyPair()).issue();
        assertThat(validator(RevocationMode.OFF).validate(weak.certificate(), List.of(), Purpose.ENCRYPT,
                "w@example.com", NOW).failures()).extracting(f -> f.reason()).containsExactly(Reason.WEAK_KEY);
    }

    @Test
    void everyFailureIsCollected() {
        TestPki.Issued bad = PKI.user("bad@example.com").validity(NOW.minus(Duration.ofDays(30)),
                        NOW.minus(Duration.ofDays(1))).keyUsage(KeyUsage.keyEncipherment)
                .extendedKeyUsage(KeyPurposeId.id_kp_codeSigning).issue();
        ValidationResult r = validator(RevocationMode.OFF).validate(bad.certificate(), List.of(), Purpose.SIGN,
                "good@example.com", NOW);
        assertThat(r.failures()).extracting(f -> f.reason()).containsExactlyInAnyOrder(Reason.EXPIRED,
                Reason.KEY_USAGE, Reason.EXTENDED_KEY_USAGE, Reason.ADDRESS_MISMATCH);
    }

    @Test
    void revokedByACrlFromTheStoreAndSoftOrHardFailWhenUnknown() {
        TestPki.Issued revoked = PKI.issue("r@example.com");
        TestPki.Issued fine = PKI.issue("ok@example.com");
        X509CRL crl = PKI.crl(NOW.plus(Duration.ofDays(7)), revoked.certificate());
        // without any CRL: unknown -> warning under soft-fail, failure under hard-fail
        ValidationResult soft = new PkixCertificateValidator(trust::get, revocation(RevocationMode.SOFT_FAIL, false))
                .validate(fine.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(soft.isValid()).isTrue();
        assertThat(soft.hasWarning(Reason.REVOCATION_UNKNOWN)).isTrue();
        ValidationResult hard = new PkixCertificateValidator(trust::get, revocation(RevocationMode.HARD_FAIL, false))
                .validate(fine.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(hard.hasFailure(Reason.REVOCATION_UNKNOWN)).isTrue();
        // checkOnSend (OWACheckCRLOnSend) makes unknown a failure for encryption only
        PkixCertificateValidator onSend = new PkixCertificateValidator(trust::get,
                revocation(RevocationMode.SOFT_FAIL, true));
        assertThat(onSend.validate(fine.certificate(), List.of(), Purpose.ENCRYPT, null, NOW)
                .hasFailure(Reason.REVOCATION_UNKNOWN)).isTrue();
        assertThat(onSend.validate(fine.certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();

        // the CRL arrives in the store: a new trust snapshot, picked up by the same validator
        PkixCertificateValidator v = new PkixCertificateValidator(trust::get, revocation(RevocationMode.HARD_FAIL, false));
        trust.set(new TrustCollection(List.of(PKI.rootCertificate()), List.of(PKI.intermediate().certificate()),
                List.of(crl, crlFromRoot())));
        ValidationResult r = v.validate(revoked.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(r.failures()).extracting(f -> f.reason()).containsExactly(Reason.REVOKED);
        assertThat(v.validate(fine.certificate(), List.of(), Purpose.SIGN, null, NOW).isValid()).isTrue();
        // before the revocation date it was not revoked yet
        assertThat(v.validate(revoked.certificate(), List.of(), Purpose.SIGN, null, NOW.minus(Duration.ofHours(3)))
                .hasFailure(Reason.REVOKED)).isFalse();
    }

    @Test
    void revocationOffMeansNoRevocationWarnings() {
        ValidationResult r = validator(RevocationMode.OFF).validate(PKI.issue("o@example.com").certificate(),
                List.of(), Purpose.SIGN, null, NOW);
        assertThat(r.warnings()).isEmpty();
    }

    /** The root's (empty) CRL for the intermediate, so hard-fail has a status for every link. */
    private static X509CRL crlFromRoot() {
        try {
            var builder = new org.bouncycastle.cert.X509v2CRLBuilder(
                    new org.bouncycastle.cert.X509CertificateHolder(PKI.rootCertificate().getEncoded()).getSubject(),
                    java.util.Date.from(NOW.minus(Duration.ofDays(1))));
            builder.setNextUpdate(java.util.Date.from(NOW.plus(Duration.ofDays(30))));
            builder.addCRLEntry(BigInteger.valueOf(1), java.util.Date.from(NOW.minus(Duration.ofDays(1))), 1);
            var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                    .build(PKI.root().privateKey());
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void indexIsBuiltOncePerTrustSnapshotAndSharedByConcurrentCallers() throws Exception {
        PkixCertificateValidator v = validator(RevocationMode.OFF);
        List<TestPki.Issued> users = List.of(PKI.issue("c1@example.com"), PKI.issue("c2@example.com"),
                PKI.user("c3@example.com").keyUsage(KeyUsage.keyEncipherment).issue());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<Reason>>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TestPki.Issued u = users.get(i % 3);
                futures.add(pool.submit(() -> v.validate(u.certificate(), List.of(), Purpose.SIGN, null, NOW)
                        .failures().stream().map(f -> f.reason()).toList()));
            }
            for (int i = 0; i < futures.size(); i++) {
                List<Reason> reasons = futures.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(reasons).isEqualTo(i % 3 == 2 ? List.of(Reason.KEY_USAGE) : List.of());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(v.indexBuilds()).isEqualTo(1);
        int before = v.indexBuilds();
        v.validate(users.get(0).certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(v.indexBuilds()).isEqualTo(before);
        trust.set(new TrustCollection(List.of(PKI.rootCertificate()), List.of(), List.of()));
        v.validate(users.get(0).certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(v.indexBuilds()).isEqualTo(before + 1);
    }
}
