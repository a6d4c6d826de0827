package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.mailets.corpus.Corpus;
import org.smimegw.mailets.testing.TestKeys;

/**
 * Fuzz targets for the inbound S/MIME path as {@code SMIMEDecrypt} and {@code SMIMEVerify} run it: decrypt with
 * the keys held, then verify the decrypted message (or the original when nothing was decrypted).
 * {@link SmimeDecryptor} and {@link SmimeVerifier} never throw for bad input (their results say what was wrong),
 * so a finding is any exception, any Error (a StackOverflowError in deep MIME, an OutOfMemoryError in bin/fuzz's
 * -Xmx512m heap), more than 20 s for one input, or, for {@link #signedAndEncrypted}, a message this gateway signed
 * and encrypted that it then cannot decrypt or finds not intact.
 * <ul>
 *   <li>{@link #rawMessage}: any bytes as a received message, with the third-party samples' keys and trust anchors
 *       (testdata/corpus); seeds are samples from there.</li>
 *   <li>{@link #signedAndEncrypted}: fuzzer-chosen bytes as the inner message, signed by a test PKI user (clear or
 *       opaque), optionally encrypted to an RSA or EC key the gateway holds, then up to three bytes changed.</li>
 * </ul>
 * Inputs: {@code src/test/resources/org/smimegw/mailets/crypto/InboundSmimeFuzzTestInputs/<method>}.
 */
class InboundSmimeFuzzTest {
    private static final EncryptionAlgorithm[] ALGORITHMS = {
        EncryptionAlgorithm.AES128, EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES128GCM,
        EncryptionAlgorithm.AES256GCM};

    private static Path tmp;
    private static MessageFiles files;
    private static SmimeDecryptor decryptor;
    private static List<UserKey> corpusKeys;
    private static SmimeVerifier corpusVerifier;
    private static List<UserKey> pkiKeys;
    private static UserKey signer;
    private static SmimeVerifier pkiVerifier;

    @BeforeAll
    static void keysAndTrust() throws Exception {
        tmp = Files.createTempDirectory("inbound-fuzz");
        files = new MessageFiles(tmp);
        decryptor = new SmimeDecryptor(files);

        corpusKeys = new ArrayList<>(Corpus.pkcs12("apache-james/smime.p12", "secret".toCharArray()));
        corpusKeys.add(Corpus.key(Corpus.pkcs8("rfc9216/certs-and-keys/lamps-bob.decrypt.p8.pem", "RSA"),
                Corpus.certificate("rfc9216/certs-and-keys/lamps-bob.encrypt.crt")));
        corpusVerifier = new SmimeVerifier(offline(Corpus.trust(List.of(
                Corpus.certificate("apache-james/smime-test-resource-set/rootCA.crt"),
                Corpus.certificate("rfc4134/CarlRSASelf.cer"),
                Corpus.certificate("bouncycastle/validator.root.crt"),
                Corpus.certificate(
                        "rfc9216/tests/fixtures/rfc9216/Sample_LAMPS_Ed25519_Certification_Authority.selfsigned.pem")),
                List.of(Corpus.certificate(
                        "rfc9216/tests/fixtures/rfc9216/Sample_LAMPS_RSA_Certification_Authority.crosssigned.pem")))),
                files);

        TestPki pki = TestPki.create("InboundFuzz");
        pkiKeys = List.of(TestKeys.userKey(pki.issue("alice@internal.example")),
                TestKeys.userKey(pki.user("carol@internal.example").keyType(TestPki.KeyType.EC_P256).issue()));
        signer = TestKeys.userKey(pki.issue("bob@partner.example"));
        pkiVerifier = new SmimeVerifier(offline(TestKeys.trust(pki)), files);
    }

    /** The PKIX validator without revocation checks: no CRL or OCSP fetches from URLs in fuzzed certificates. */
    private static CertificateValidator offline(TrustCollection trust) {
        return new PkixCertificateValidator(() -> trust,
                CertStoreConfig.Revocation.defaults().withMode(CertStoreConfig.RevocationMode.OFF));
    }

    @AfterAll
    static void removeFiles() throws IOException {
        try (var paths = Files.walk(tmp)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void rawMessage(byte[] message) {
        MimeMessage received;
        try {
            received = parse(message);
        } catch (MessagingException e) {
            return; // not even headers: the pipeline never gets this far
        }
        inbound(received, corpusKeys, corpusVerifier);
    }

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void signedAndEncrypted(FuzzedDataProvider data) throws Exception {
        SignMode mode = data.consumeBoolean() ? SignMode.CLEAR : SignMode.OPAQUE;
        boolean encrypt = data.consumeBoolean();
        UserKey recipient = pkiKeys.get(data.consumeInt(0, pkiKeys.size() - 1));
        EncryptionAlgorithm algorithm = ALGORITHMS[data.consumeInt(0, ALGORITHMS.length - 1)];
        int changes = data.consumeInt(0, 3);
        int[] positions = new int[changes];
        byte[] values = new byte[changes];
        for (int i = 0; i < changes; i++) {
            positions[i] = data.consumeInt(0, Integer.MAX_VALUE);
            values[i] = data.consumeByte();
        }
        MimeMessage sent;
        try {
            MimeMessage inner = parse(data.consumeRemainingAsBytes());
            inner.saveChanges();
            sent = new SmimeSigner(SignerSettings.defaults().withMode(mode), files).sign(inner, signer, Instant.now());
            if (encrypt) {
                sent = new SmimeEncryptor(EncryptorSettings.defaults(), files)
                        .encrypt(sent, List.of(recipient.certificate()), algorithm);
            }
        } catch (SmimeException | MessagingException e) {
            return; // the outbound side refused this inner message: not an inbound input
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try {
            sent.writeTo(wire);
        } catch (IOException | MessagingException e) {
            return;
        }
        byte[] bytes = wire.toByteArray();
        for (int i = 0; i < changes; i++) {
            bytes[positions[i] % bytes.length] = values[i];
        }
        Outcome outcome = inbound(parse(bytes), pkiKeys, pkiVerifier);
        if (changes == 0) {
            if (encrypt) {
                // CBC content is unauthenticated by itself (a valid signature inside vouches for it later)
                assertThat(outcome.decryption().status()).as(outcome.decryption().reason())
                        .isEqualTo(algorithm.authenticated() ? DecryptionResult.Status.DECRYPTED
                                : DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
            }
            // the fuzzed inner message chooses its From: bound to the signer, another address, or several
            assertThat(outcome.verification().status()).as(outcome.verification().toString())
                    .isIn(VerificationStatus.VALID, VerificationStatus.SIGNER_MISMATCH,
                            VerificationStatus.AMBIGUOUS_SENDER);
        }
    }

    private record Outcome(DecryptionResult decryption, VerificationResult verification) {
    }

    /** What the inbound pipeline does: decrypt with the keys held, then verify what came out (or the original). */
    private static Outcome inbound(MimeMessage received, List<UserKey> keys, SmimeVerifier verifier) {
        DecryptionResult decryption = decryptor.decrypt(received, keys);
        assertThat(decryption.status()).isNotNull();
        assertThat(decryption.message().isPresent())
                .isEqualTo(decryption.status() == DecryptionResult.Status.DECRYPTED
                        || decryption.status() == DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        MimeMessage toVerify = decryption.message().orElse(received);
        VerificationResult verification = verifier.verify(toVerify, Instant.now());
        assertThat(verification.status()).isNotNull();
        return new Outcome(decryption, verification);
    }

    private static MimeMessage parse(byte[] bytes) throws MessagingException {
        return new MimeMessage(files.session(), new ByteArrayInputStream(bytes));
    }
}
