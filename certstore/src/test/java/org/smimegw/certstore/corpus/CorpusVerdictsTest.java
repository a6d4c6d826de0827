package org.smimegw.certstore.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertStoreConfig.RevocationMode;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationFailure.Reason;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.CertificateFormat;
import org.smimegw.certstore.importer.ParsedFile;
import org.smimegw.certstore.testing.TestCorpus;
import org.smimegw.certstore.validation.PkixCertificateValidator;

/**
 * Third-party certificates from the repository's testdata/corpus give the expected verdicts. Several corpus certificates have
 * expired by now (2026): where a test is about another property it validates at a time inside their validity (the
 * mail's signing time, or a fixed date for RFC 4134), and says so. RFC 4134 and the Bouncy Castle validator set use
 * RSA-1024 keys, so WEAK_KEY is part of every verdict for them (our minimum is RSA 2048).
 */
class CorpusVerdictsTest {

    private static final Path CORPUS = TestCorpus.dir();
    private static final Instant NOW = Instant.now();
    private final CertificateFileParser parser = new CertificateFileParser();

    private ParsedFile parse(String relative) throws Exception {
        return parser.parse(Files.readAllBytes(CORPUS.resolve(relative)), null);
    }

    private X509Certificate cert(String relative) throws Exception {
        return parse(relative).certificates().get(0);
    }

    private X509CRL crl(String relative) throws Exception {
        return parse(relative).crls().get(0);
    }

    private static PkixCertificateValidator validator(TrustCollection trust, RevocationMode mode) {
        return new PkixCertificateValidator(() -> trust, new CertStoreConfig.Revocation(mode, false, false, false, 2, 60));
    }

    private static List<Reason> reasons(ValidationResult r) {
        return r.failures().stream().map(ValidationFailure::reason).distinct().toList();
    }

    // ------------------------------------------------------------------ RFC 4134

    @Test
    void rfc4134FilesAreDetectedAsDerCertificatesAndCrls() throws Exception {
        assertThat(parse("rfc4134/CarlRSASelf.cer").format()).isEqualTo(CertificateFormat.DER_CERTIFICATE);
        assertThat(parse("rfc4134/CarlRSACRLForAll.crl").format()).isEqualTo(CertificateFormat.DER_CRL);
    }

    @Test
    void rfc4134RsaCertificatesChainToCarl() throws Exception {
        X509Certificate carl = cert("rfc4134/CarlRSASelf.cer");
        X509Certificate alice = cert("rfc4134/AliceRSASignByCarl.cer");
        X509Certificate bob = cert("rfc4134/BobRSASignByCarl.cer");
        TrustCollection trust = new TrustCollection(List.of(carl), List.of(), List.of(crl("rfc4134/CarlRSACRLEmpty.crl")));
        PkixCertificateValidator v = validator(trust, RevocationMode.HARD_FAIL);

        ValidationResult aliceSign = v.validate(alice, List.of(), Purpose.SIGN, "AliceRSA@example.com", NOW);
        assertThat(aliceSign.path()).containsExactly(alice, carl);
        assertThat(reasons(aliceSign)).containsExactly(Reason.WEAK_KEY);  // RSA-1024; otherwise valid until 2039
        assertThat(reasons(v.validate(alice, List.of(), Purpose.ENCRYPT, "AliceRSA@example.com", NOW)))
                .containsExactlyInAnyOrder(Reason.WEAK_KEY, Reason.KEY_USAGE);  // digitalSignature+nonRepudiation only
        assertThat(reasons(v.validate(bob, List.of(), Purpose.ENCRYPT, "BobRSA@example.com", NOW)))
                .containsExactly(Reason.WEAK_KEY);
        assertThat(reasons(v.validate(bob, List.of(), Purpose.SIGN, "BobRSA@example.com", NOW)))
                .containsExactlyInAnyOrder(Reason.WEAK_KEY, Reason.KEY_USAGE);   // keyEncipherment only
        assertThat(reasons(v.validate(alice, List.of(), Purpose.SIGN, "BobRSA@example.com", NOW)))
                .containsExactlyInAnyOrder(Reason.WEAK_KEY, Reason.ADDRESS_MISMATCH);
    }

    @Test
    void rfc4134CrlForAllRevokesAlice() throws Exception {
        X509Certificate carl = cert("rfc4134/CarlRSASelf.cer");
        X509Certificate alice = cert("rfc4134/AliceRSASignByCarl.cer");
        TrustCollection trust = new TrustCollection(List.of(carl), List.of(), List.of(crl("rfc4134/CarlRSACRLForAll.crl")));
        ValidationResult r = validator(trust, RevocationMode.SOFT_FAIL).validate(alice, List.of(), Purpose.SIGN, null, NOW);
        assertThat(reasons(r)).containsExactlyInAnyOrder(Reason.WEAK_KEY, Reason.REVOKED);
        // the DSA CA's CRL does not speak for the RSA CA
        TrustCollection wrongCrl = new TrustCollection(List.of(carl), List.of(), List.of(crl("rfc4134/CarlDSSCRLForAll.crl")));
        ValidationResult unknown = validator(wrongCrl, RevocationMode.SOFT_FAIL).validate(alice, List.of(), Purpose.SIGN,
                null, NOW);
        assertThat(reasons(unknown)).containsExactly(Reason.WEAK_KEY);
        assertThat(unknown.hasWarning(Reason.REVOCATION_UNKNOWN)).isTrue();
    }

    @Test
    void rfc4134AliceIsNotTrustedWithoutCarl() throws Exception {
        ValidationResult r = validator(TrustCollection.EMPTY, RevocationMode.OFF)
                .validate(cert("rfc4134/AliceRSASignByCarl.cer"), List.of(), Purpose.SIGN, null, NOW);
        assertThat(reasons(r)).containsExactlyInAnyOrder(Reason.NO_PATH_TO_TRUST_ANCHOR, Reason.WEAK_KEY);
    }

    // ------------------------------------------------------------------ RFC 9216

    private static final String LAMPS = "rfc9216/tests/fixtures/rfc9216/";

    @Test
    void rfc9216RsaChainIsValidNow() throws Exception {
        X509Certificate rsaCa = cert(LAMPS + "Sample_LAMPS_RSA_Certification_Authority.selfsigned.pem");
        TrustCollection trust = new TrustCollection(List.of(rsaCa), List.of(), List.of());
        PkixCertificateValidator v = validator(trust, RevocationMode.OFF);
        X509Certificate aliceSig = cert(LAMPS + "alice@smime.example.sig.pem");
        X509Certificate aliceEnc = cert(LAMPS + "alice@smime.example.enc.pem");
        assertThat(v.validate(aliceSig, List.of(), Purpose.SIGN, "alice@smime.example", NOW).failures()).isEmpty();
        assertThat(v.validate(aliceEnc, List.of(), Purpose.ENCRYPT, "alice@smime.example", NOW).failures()).isEmpty();
        assertThat(reasons(v.validate(aliceEnc, List.of(), Purpose.SIGN, "alice@smime.example", NOW)))
                .containsExactly(Reason.KEY_USAGE);
        assertThat(v.validate(cert("rfc9216/certs-and-keys/lamps-bob.encrypt.crt"), List.of(), Purpose.ENCRYPT,
                "bob@smime.example", NOW).failures()).isEmpty();
    }

    @Test
    void rfc9216Ed25519UsersReachTheRsaRootThroughTheCrossCertificate() throws Exception {
        X509Certificate rsaCa = cert(LAMPS + "Sample_LAMPS_RSA_Certification_Authority.selfsigned.pem");
        X509Certificate edCross = cert(LAMPS + "Sample_LAMPS_Ed25519_Certification_Authority.crosssigned.pem");
        X509Certificate carlos = cert(LAMPS + "carlos@smime.example.sig.pem");
        X509Certificate dana = cert(LAMPS + "dana@smime.example.enc.pem");
        PkixCertificateValidator rootOnly = validator(new TrustCollection(List.of(rsaCa), List.of(), List.of()),
                RevocationMode.OFF);
        assertThat(reasons(rootOnly.validate(carlos, List.of(), Purpose.SIGN, null, NOW)))
                .containsExactly(Reason.NO_PATH_TO_TRUST_ANCHOR);
        // the cross certificate supplied with the message (or held as an intermediate) completes the path
        ValidationResult viaCross = rootOnly.validate(carlos, List.of(edCross), Purpose.SIGN, "carlos@smime.example", NOW);
        assertThat(viaCross.failures()).isEmpty();
        assertThat(viaCross.path()).containsExactly(carlos, edCross, rsaCa);
        PkixCertificateValidator withIntermediate = validator(new TrustCollection(List.of(rsaCa), List.of(edCross),
                List.of()), RevocationMode.OFF);
        assertThat(withIntermediate.validate(dana, List.of(), Purpose.ENCRYPT, "dana@smime.example", NOW).failures())
                .isEmpty();  // X25519 key: keyAgreement
    }

    // ------------------------------------------------------------------ Bouncy Castle validator set

    private static final String ARMIN = "arminha@student.ethz.ch";

    private TrustCollection bcTrust(boolean withCrl) throws Exception {
        X509Certificate root = cert("bouncycastle/validator.root.crt");
        return new TrustCollection(List.of(root), List.of(),
                withCrl ? List.of(crl("bouncycastle/validator.revoked.crl")) : List.of());
    }

    /** Validates the signer at the mail's signing time (the root expired in 2016) with the CRL, hard-fail. */
    private ValidationResult bcVerdict(String eml) throws Exception {
        SignedMailCertificates m = SignedMailCertificates.read(CORPUS.resolve("bouncycastle/" + eml));
        assertThat(m.signingTime()).isNotNull();
        return validator(bcTrust(true), RevocationMode.HARD_FAIL).validate(m.signer(), m.others(), Purpose.SIGN,
                m.from(), m.signingTime());
    }

    @Test
    void bcValidMailIsValidApartFromItsShortKey() throws Exception {
        assertThat(reasons(bcVerdict("validator.validMail.eml"))).containsExactly(Reason.WEAK_KEY);
    }

    @Test
    void bcValidMailTodayHasAnExpiredSignerAndRoot() throws Exception {
        SignedMailCertificates m = SignedMailCertificates.read(CORPUS.resolve("bouncycastle/validator.validMail.eml"));
        ValidationResult r = validator(bcTrust(true), RevocationMode.OFF).validate(m.signer(), m.others(), Purpose.SIGN,
                m.from(), NOW);
        assertThat(reasons(r)).containsExactlyInAnyOrder(Reason.EXPIRED, Reason.WEAK_KEY);
        assertThat(r.failures().stream().filter(f -> f.reason() == Reason.EXPIRED)).hasSize(2);  // signer and root
    }

    @Test
    void bcExpired() throws Exception {
        assertThat(reasons(bcVerdict("validator.expired.eml"))).containsExactlyInAnyOrder(Reason.EXPIRED, Reason.WEAK_KEY);
    }

    @Test
    void bcNotYetValid() throws Exception {
        assertThat(reasons(bcVerdict("validator.notYetValid.eml")))
                .containsExactlyInAnyOrder(Reason.NOT_YET_VALID, Reason.WEAK_KEY);
    }

    @Test
    void bcRevokedWithItsCrl() throws Exception {
        assertThat(reasons(bcVerdict("validator.revoked.eml"))).containsExactlyInAnyOrder(Reason.REVOKED, Reason.WEAK_KEY);
        // without the CRL the status is unknown: a failure under hard-fail
        SignedMailCertificates m = SignedMailCertificates.read(CORPUS.resolve("bouncycastle/validator.revoked.eml"));
        ValidationResult noCrl = validator(bcTrust(false), RevocationMode.HARD_FAIL).validate(m.signer(), m.others(),
                Purpose.SIGN, m.from(), m.signingTime());
        assertThat(reasons(noCrl)).containsExactlyInAnyOrder(Reason.REVOCATION_UNKNOWN, Reason.WEAK_KEY);
    }

    @Test
    void bcWrongKeyUsage() throws Exception {
        assertThat(reasons(bcVerdict("validator.keyUsage.eml"))).containsExactlyInAnyOrder(Reason.KEY_USAGE, Reason.WEAK_KEY);
    }

    @Test
    void bcWrongExtendedKeyUsage() throws Exception {
        assertThat(reasons(bcVerdict("validator.extKeyUsage.eml")))
                .containsExactlyInAnyOrder(Reason.EXTENDED_KEY_USAGE, Reason.WEAK_KEY);
    }

    @Test
    void bcNoEmailAddress() throws Exception {
        assertThat(reasons(bcVerdict("validator.noEmail.eml")))
                .containsExactlyInAnyOrder(Reason.NO_EMAIL_ADDRESS, Reason.WEAK_KEY);
    }

    @Test
    void bcShortKey() throws Exception {
        assertThat(reasons(bcVerdict("validator.shortKey.eml"))).containsExactly(Reason.WEAK_KEY);
    }

    @Test
    void bcFakeRootIsNoTrustAnchorForTheRealSignatures() throws Exception {
        X509Certificate fake = cert("bouncycastle/validator.fakeRoot.crt");
        SignedMailCertificates m = SignedMailCertificates.read(CORPUS.resolve("bouncycastle/validator.validMail.eml"));
        List<X509Certificate> withoutRoot = m.others().stream()
                .filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).toList();
        ValidationResult r = validator(new TrustCollection(List.of(fake), List.of(), List.of()), RevocationMode.OFF)
                .validate(m.signer(), withoutRoot, Purpose.SIGN, m.from(), m.signingTime());
        assertThat(r.hasFailure(Reason.NO_PATH_TO_TRUST_ANCHOR)).isTrue();
        assertThat(r.path()).isEmpty();
    }

    @Test
    void rfc9216CaFilesImportAsRootsAndCrossCertificatesAsIntermediates(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        var store = new org.smimegw.certstore.file.FileCertificateStore(dir,
                new org.smimegw.certstore.file.KeyPasswordSource("env:X", k -> "x", false, dir));
        var importer = new org.smimegw.certstore.importer.CertificateImporter(store, parser, java.time.Clock.systemUTC());
        for (String f : List.of("Sample_LAMPS_RSA_Certification_Authority.selfsigned.pem",
                "Sample_LAMPS_Ed25519_Certification_Authority.selfsigned.pem",
                "Sample_LAMPS_Ed25519_Certification_Authority.crosssigned.pem",
                "Sample_LAMPS_RSA_Certification_Authority.crosssigned.pem", "alice@smime.example.sig.pem")) {
            importer.importTrust(CORPUS.resolve(LAMPS + f));
        }
        assertThat(store.trust().roots()).hasSize(2);
        assertThat(store.trust().intermediates()).hasSize(2);   // alice is refused: not a CA
        PkixCertificateValidator v = new PkixCertificateValidator(store::trust, CertStoreConfig.Revocation.defaults()
                .withMode(RevocationMode.OFF));
        assertThat(v.validate(cert(LAMPS + "dana@smime.example.sig.pem"), List.of(), Purpose.SIGN,
                "dana@smime.example", NOW).failures()).isEmpty();
    }
}
