package org.smimegw.mailets.corpus;

import org.smimegw.mailets.crypto.TestProviders;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.mailets.crypto.DecryptionResult;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SmimeDecryptor;
import org.smimegw.mailets.crypto.SmimeVerifier;
import org.smimegw.mailets.crypto.VerificationResult;
import org.smimegw.mailets.crypto.VerificationStatus;
import org.smimegw.mailets.testing.TestValidators;

/**
 * Expected verdicts on third-party samples (RFC 4134, RFC 9216 examples, Bouncy Castle, Apache James). Trust is
 * each sample set's own CA. The test validator has no revocation checking, so revocation verdicts are left to the
 * certstore's validator tests.
 */
class CorpusVerdictsTest {

    @TempDir
    Path tmp;
    MessageFiles files;
    SmimeDecryptor decryptor;

    @BeforeEach
    void setUp() {
        files = new MessageFiles(tmp);
        decryptor = new SmimeDecryptor(files, TestProviders.providers());
    }

    private SmimeVerifier trusting(List<X509Certificate> roots, List<X509Certificate> intermediates) {
        return new SmimeVerifier(TestValidators.pkix(Corpus.trust(roots, intermediates)), files, TestProviders.providers());
    }

    private SmimeVerifier rfc4134() throws Exception {
        return trusting(List.of(Corpus.certificate("rfc4134/CarlRSASelf.cer"), Corpus.certificate("rfc4134/CarlDSSSelf.cer")), List.of());
    }

    private SmimeVerifier lamps() throws Exception {
        return trusting(List.of(Corpus.certificate("rfc9216/tests/fixtures/rfc9216/Sample_LAMPS_Ed25519_Certification_Authority.selfsigned.pem")),
                List.of(Corpus.certificate("rfc9216/tests/fixtures/rfc9216/Sample_LAMPS_RSA_Certification_Authority.crosssigned.pem")));
    }

    private SmimeVerifier james() throws Exception {
        return trusting(List.of(Corpus.certificate("apache-james/smime-test-resource-set/rootCA.crt")), List.of());
    }

    private SmimeVerifier bouncyCastle() throws Exception {
        return trusting(List.of(Corpus.certificate("bouncycastle/validator.root.crt")), List.of());
    }

    // ---- RFC 4134 ----

    @Test
    void rfc4134SignaturesAreIntactButTheir1024BitKeysAreTooWeakToTrust() throws Exception {
        for (String f : List.of("4.1.bin", "4.2.bin", "4.5.bin")) {
            VerificationResult r = rfc4134().verify(Corpus.cmsAsMessage("rfc4134/" + f, "signed-data", "AliceRSA@example.com"), Instant.now());
            assertThat(r.signers()).as(f).allSatisfy(s -> assertThat(s.signatureValid()).isTrue());
            assertThat(r.status()).as(f).isEqualTo(VerificationStatus.UNTRUSTED);
            assertThat(r.reasons()).as(f).anyMatch(reason -> reason.startsWith("WEAK_KEY"));
        }
        VerificationResult rsa = rfc4134().verify(Corpus.cmsAsMessage("rfc4134/4.2.bin", "signed-data", "AliceRSA@example.com"), Instant.now());
        assertThat(rsa.signers().get(0).matchedAddress()).isEqualTo("alicersa@example.com");
    }

    @Test
    void rfc4134MailSamplesAreIntactAndFromDoesNotMatchTheCertificate() throws Exception {
        // the RFC's From is aliceDss@examples.com, the certificate says AliceDSS@example.com
        for (String f : List.of("4.8.eml", "4.9.eml")) {
            VerificationResult r = rfc4134().verify(Corpus.message("rfc4134/" + f), Instant.now());
            assertThat(r.signers()).as(f).singleElement().satisfies(s -> {
                assertThat(s.signatureValid()).isTrue();
                assertThat(s.matchedAddress()).isNull();
            });
            assertThat(r.status()).as(f).isEqualTo(VerificationStatus.UNTRUSTED); // DSA-1024: weak key comes first
        }
    }

    @Test
    void rfc4134CertificatesOnlyMessageIsNoSignature() throws Exception {
        assertThat(rfc4134().verify(Corpus.cmsAsMessage("rfc4134/4.11.bin", "signed-data", "a@example.com"), Instant.now()).status())
                .isEqualTo(VerificationStatus.MALFORMED);
    }

    @Test
    void rfc4134EnvelopedSamplesDecrypt() throws Exception {
        UserKey bob = Corpus.key(Corpus.pkcs8("rfc4134/BobPrivRSAEncrypt.pri", "RSA"), Corpus.certificate("rfc4134/BobRSASignByCarl.cer"));
        DecryptionResult eml = decryptor.decrypt(Corpus.message("rfc4134/5.3.eml"), List.of(bob));
        // EnvelopedData: decrypted, but nothing authenticates the content
        assertThat(eml.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(eml.contentEncryption()).isEqualTo(EncryptionAlgorithm.TripleDES.displayName()); // recognised, not produced
        assertThat(decryptor.decrypt(Corpus.cmsAsMessage("rfc4134/5.1.bin", "enveloped-data", "a@b.example"), List.of(bob)).status())
                .isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(decryptor.decrypt(Corpus.cmsAsMessage("rfc4134/5.2.bin", "enveloped-data", "a@b.example"), List.of(bob)).contentEncryption())
                .containsIgnoringCase("RC2");
    }

    // ---- RFC 9216 keys, examples-cms samples ----

    @Test
    void lampsSignaturesRsaPssAndEd25519AreValid() throws Exception {
        assertThat(lamps().verify(Corpus.cmsAsMessage("rfc9216/binary-files/signedByAliceRSA.p7m", "signed-data", "alice@smime.example"), Instant.now()).status())
                .isEqualTo(VerificationStatus.VALID);
        VerificationResult pss = lamps().verify(Corpus.cmsAsMessage("rfc9216/binary-files/signedByAliceRSAPSS.p7m", "signed-data", "alice@smime.example"), Instant.now());
        assertThat(pss.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(pss.signers().get(0).signatureAlgorithm()).containsIgnoringCase("PSS");
        assertThat(lamps().verify(Corpus.cmsAsMessage("rfc9216/binary-files/signedByCarlosEd25519.p7m", "signed-data", "carlos@smime.example"), Instant.now()).status())
                .isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void signatureWithoutCertificatesIsUntrusted() throws Exception {
        VerificationResult r = lamps().verify(Corpus.cmsAsMessage("rfc9216/binary-files/signedByAliceAndCarlosNoCerts.p7m", "signed-data", "alice@smime.example"), Instant.now());
        assertThat(r.status()).isEqualTo(VerificationStatus.UNTRUSTED);
        assertThat(r.signers()).hasSize(2);
        assertThat(r.reasons()).anyMatch(s -> s.contains("not in the signature"));
    }

    @Test
    void lampsEnvelopedSamplesDecrypt() throws Exception {
        UserKey bob = Corpus.key(Corpus.pkcs8("rfc9216/certs-and-keys/lamps-bob.decrypt.p8.pem", "RSA"),
                Corpus.certificate("rfc9216/certs-and-keys/lamps-bob.encrypt.crt"));
        DecryptionResult oaep = decryptor.decrypt(Corpus.cmsAsMessage("rfc9216/binary-files/encryptedForBobRSAOaep.p7m", "enveloped-data", "a@b.example"), List.of(bob));
        assertThat(oaep.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(oaep.keyEncryption()).containsIgnoringCase("OAEP");
        assertThat(decryptor.decrypt(Corpus.cmsAsMessage("rfc9216/binary-files/encryptedForBobAndDana.p7m", "enveloped-data", "a@b.example"), List.of(bob)).status())
                .isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        // ChaCha20-Poly1305 is an AEAD: its tag authenticates the content
        assertThat(decryptor.decrypt(Corpus.cmsAsMessage("rfc9216/binary-files/authEnvelopedForBobChaCha20Poly1305.p7m", "authEnveloped-data", "a@b.example"), List.of(bob)).status())
                .isEqualTo(DecryptionResult.Status.DECRYPTED);
        // KEK (pre-shared key) recipients are not a kind the gateway holds keys for
        assertThat(decryptor.decrypt(Corpus.cmsAsMessage("rfc9216/binary-files/encryptedKekri.p7m", "enveloped-data", "a@b.example"), List.of(bob)).status())
                .isEqualTo(DecryptionResult.Status.NO_KEY);
    }

    // ---- Apache James ----

    @ParameterizedTest
    @ValueSource(strings = {"mail_with_signature.eml", "mail_with_signature_and_content_type_xpkcs7mime.eml",
            "mail-with-signature-and-multi-certs.eml"})
    void jamesSignedSamplesAreValidIncludingLegacyXPkcs7(String f) throws Exception {
        VerificationResult r = james().verify(Corpus.message("apache-james/smime-test-resource-set/" + f), Instant.now());
        assertThat(r.status()).as(r.reasons().toString()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void jamesBadAndMissingSignatures() throws Exception {
        assertThat(james().verify(Corpus.message("apache-james/eml/mail_with_bad_signature.eml"), Instant.now()).status())
                .isEqualTo(VerificationStatus.INVALID_SIGNATURE);
        assertThat(james().verify(Corpus.message("apache-james/eml/mail_with_no_signature.eml"), Instant.now()).status())
                .isEqualTo(VerificationStatus.MALFORMED);
        assertThat(james().verify(Corpus.message("apache-james/eml/non_smime_mail.eml"), Instant.now()).status())
                .isEqualTo(VerificationStatus.NOT_SIGNED);
    }

    @Test
    void jamesEncryptedSamplesDecryptWithTheirPkcs12() throws Exception {
        List<UserKey> keys = Corpus.pkcs12("apache-james/smime.p12", "secret".toCharArray());
        for (String f : List.of("crypted.eml", "crypted_with_attachment.eml")) {
            DecryptionResult r = decryptor.decrypt(Corpus.message("apache-james/eml/" + f), keys);
            assertThat(r.status()).as(f).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
            MimeMessage plain = r.message().orElseThrow();
            assertThat(plain.getContentType()).isNotBlank();
            assertThat(plain.getFrom()[0].toString()).contains("sender@localdomain");
        }
        DecryptionResult bad = decryptor.decrypt(Corpus.message("apache-james/eml/bad_crypted.eml"), keys);
        assertThat(bad.status()).isEqualTo(DecryptionResult.Status.NO_KEY);
        assertThat(bad.message()).isEmpty();
    }

    // ---- Bouncy Castle ----

    @Test
    void bouncyCastleValidatorSamples() throws Exception {
        assertThat(reasonsOf("validator.expired.eml")).contains(ValidationFailure.Reason.EXPIRED);
        assertThat(reasonsOf("validator.notYetValid.eml")).contains(ValidationFailure.Reason.NOT_YET_VALID);
        assertThat(reasonsOf("validator.keyUsage.eml")).contains(ValidationFailure.Reason.KEY_USAGE);
    }

    private List<ValidationFailure.Reason> reasonsOf(String f) throws Exception {
        VerificationResult r = bouncyCastle().verify(Corpus.message("bouncycastle/" + f), Instant.now());
        assertThat(r.status()).as(f).isEqualTo(VerificationStatus.UNTRUSTED);
        assertThat(r.signers().get(0).signatureValid()).as(f + " signature intact").isTrue();
        var result = r.signers().get(0).atSigningTime() != null && !r.signers().get(0).atSigningTime().isValid()
                ? r.signers().get(0).atSigningTime() : r.signers().get(0).now();
        return result.failures().stream().map(ValidationFailure::reason).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3nnn_smime.eml", "circular.eml", "extra-nl.eml", "multi-alternative.eml",
            "openssl-signed-sha256-non-default-salt-length.eml", "qp-soft-break.eml", "embeddedmulti.message",
            "quotable.message", "validator.validMail.eml", "validator.extKeyUsage.eml", "validator.noEmail.eml",
            "validator.shortKey.eml", "validator.revoked.eml", "validator.longValidity.eml"})
    void bouncyCastleSignedSamplesHaveIntactSignatures(String f) throws Exception {
        // real-client quirks: x-pkcs7 names, Mac Outlook attribute order, QP soft breaks, PSS with odd salt, LF endings
        VerificationResult r = bouncyCastle().verify(Corpus.message("bouncycastle/" + f), Instant.now());
        assertThat(r.signers()).as(f + " " + r.reasons()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.signatureValid()).as(f + " " + s.reasons()).isTrue());
        assertThat(r.status()).isNotIn(VerificationStatus.INVALID_SIGNATURE, VerificationStatus.MALFORMED);
    }

    @Test
    void mislabelledAndBrokenSamplesAreResultsNotExceptions() throws Exception {
        assertThat(bouncyCastle().verify(Corpus.message("bouncycastle/dotnet_encrypted_mail.eml"), Instant.now()).status())
                .isEqualTo(VerificationStatus.MALFORMED);
        assertThat(decryptor.decrypt(Corpus.message("bouncycastle/brokenEnv.message"), List.of()).status())
                .isEqualTo(DecryptionResult.Status.NOT_ENCRYPTED);
        assertThat(decryptor.decrypt(Corpus.message("bouncycastle/test128.message"), List.of()).status())
                .isEqualTo(DecryptionResult.Status.NO_KEY);
    }
}
