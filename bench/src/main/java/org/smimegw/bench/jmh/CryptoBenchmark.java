package org.smimegw.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.bench.pki.BenchPki;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.testing.TestPki.Issued;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.mailets.crypto.CryptoProviders;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.PrimitiveProviders;
import org.smimegw.mailets.crypto.DecryptionResult;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeDecryptor;
import org.smimegw.mailets.crypto.SmimeEncryptor;
import org.smimegw.mailets.crypto.SmimeSigner;
import org.smimegw.mailets.crypto.SmimeVerifier;
import org.smimegw.mailets.crypto.VerificationResult;

/**
 * The gateway's crypto classes ({@code org.smimegw.mailets.crypto}) on one message, file-backed as in the gateway:
 * sign, encrypt, sign+encrypt, verify (PKIX validation against the test root, revocation off) and decrypt.
 * Run: {@code bench/run.sh jmh CryptoBenchmark} (add {@code -p keyType=RSA_2048 -p size=10240} to narrow).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class CryptoBenchmark {

    @Param({"RSA_2048", "RSA_3072", "EC_P256"})
    public String keyType;

    @Param({"10240", "102400", "1048576"})
    public int size;

    @Param({"1"})
    public int recipients;

    /** crypto.providers: auto, jdk, bc or accp. */
    @Param({"auto", "jdk"})
    public String providers;

    private Path dir;
    private SmimeSigner signer;
    private SmimeEncryptor encryptor;
    private SmimeVerifier verifier;
    private SmimeDecryptor decryptor;
    private MimeMessage plain;
    private MimeMessage signed;
    private MimeMessage encrypted;
    private UserKey alice;
    private List<X509Certificate> recipientCerts;
    private List<UserKey> recipientKeys;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        TestPki.KeyType type = TestPki.KeyType.valueOf(keyType);
        BenchPki pki = new BenchPki();
        dir = Files.createTempDirectory("smimegw-jmh-crypto");
        MessageFiles files = new MessageFiles(dir);
        Issued a = pki.alice(type);
        alice = new UserKey(a.privateKey(), a.certificate(), a.chain(), KeyStorage.SOFTWARE);
        List<Issued> partners = pki.partners(type, recipients);
        recipientCerts = partners.stream().map(Issued::certificate).toList();
        recipientKeys = partners.stream()
                .map(p -> new UserKey(p.privateKey(), p.certificate(), p.chain(), KeyStorage.SOFTWARE)).toList();
        TrustCollection trust = new TrustCollection(List.of(pki.pki().rootCertificate()),
                List.of(pki.pki().intermediate().certificate()), List.of());
        PrimitiveProviders chosen = PrimitiveProviders.select(CryptoProviders.fromName(providers));
        signer = new SmimeSigner(SignerSettings.defaults(), files, chosen);
        encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files, chosen);
        verifier = new SmimeVerifier(new PkixCertificateValidator(() -> trust,
                CertStoreConfig.Revocation.defaults().withMode(CertStoreConfig.RevocationMode.OFF)), files, chosen);
        decryptor = new SmimeDecryptor(files, chosen);
        byte[] content = MessageTemplate.plain(size, MessageTemplate.partnerRecipients(recipients)).content();
        plain = files.message(out -> out.write(content));
        signed = signer.sign(plain, alice, Instant.now());
        encrypted = encryptor.encrypt(plain, recipientCerts, EncryptionAlgorithm.AES256);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchFiles.deleteTree(dir);
    }

    @Benchmark
    public MimeMessage sign() throws Exception {
        return signer.sign(plain, alice, Instant.now());
    }

    @Benchmark
    public MimeMessage encrypt() throws Exception {
        return encryptor.encrypt(plain, recipientCerts, EncryptionAlgorithm.AES256);
    }

    /**
     * Sign and encrypt in one pass: the signed entity written straight into the encryption, as the gateway does
     * (with RFC 9788 header protection, the shipped policy's default for encrypted mail).
     */
    @Benchmark
    public MimeMessage signEncryptOnePass() throws Exception {
        return encryptor.encrypt(plain, signer.signedEntity(plain, alice, Instant.now(),
                org.smimegw.mailets.crypto.HeaderProtection.Mode.CIPHER), recipientCerts, EncryptionAlgorithm.AES256,
                true);
    }

    @Benchmark
    public MimeMessage signEncrypt() throws Exception {
        return encryptor.encrypt(signer.sign(plain, alice, Instant.now()), recipientCerts,
                EncryptionAlgorithm.AES256);
    }

    @Benchmark
    public VerificationResult verify() {
        return verifier.verify(signed, Instant.now());
    }

    @Benchmark
    public DecryptionResult decrypt() {
        return decryptor.decrypt(encrypted, recipientKeys);
    }
}
