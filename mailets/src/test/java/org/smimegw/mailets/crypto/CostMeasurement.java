package org.smimegw.mailets.crypto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestValidators;
import org.smimegw.mailets.testing.TestMessages;

/**
 * Per-message costs of sign, encrypt, sign+encrypt, verify and decrypt for 10 KB and 1 MB messages with RSA-2048 and
 * P-256 keys: a warm loop, mean wall time per message printed. No assertions on time. Run with
 * {@code -Dsmime.measure=true} (or as a main).
 */
class CostMeasurement {

    @Test
    @EnabledIfSystemProperty(named = "smime.measure", matches = "true")
    void measure() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("smime-measure");
        MessageFiles files = new MessageFiles(dir);
        TestPki pki = TestPki.create("Measure");
        SmimeSigner signer = new SmimeSigner(SignerSettings.defaults(), files);
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files);
        SmimeDecryptor decryptor = new SmimeDecryptor(files);
        SmimeVerifier verifier = new SmimeVerifier(TestValidators.pkix(TestKeys.trust(pki)), files);
        System.out.printf("%-8s %-7s %10s %10s %13s %10s %10s%n", "key", "size", "sign", "encrypt", "sign+encrypt", "verify", "decrypt");
        for (TestPki.KeyType type : List.of(TestPki.KeyType.RSA_2048, TestPki.KeyType.EC_P256)) {
            TestPki.Issued alice = pki.user("alice@example.com").keyType(type).issue();
            TestPki.Issued bob = pki.user("bob@partner.example").keyType(type).issue();
            UserKey aliceKey = TestKeys.userKey(alice);
            List<UserKey> bobKeys = List.of(TestKeys.userKey(bob));
            for (int size : new int[] {10 * 1024, 1024 * 1024}) {
                MimeMessage plain = TestMessages.withAttachment("alice@example.com", "bob@partner.example", size * 3 / 4);
                MimeMessage signed = signer.sign(plain, aliceKey, Instant.now());
                MimeMessage encrypted = encryptor.encrypt(plain, List.of(bob.certificate()), EncryptionAlgorithm.AES256);
                int iterations = size > 100_000 ? 30 : 200;
                double sign = time(iterations, () -> signer.sign(plain, aliceKey, Instant.now()));
                double encrypt = time(iterations, () -> encryptor.encrypt(plain, List.of(bob.certificate()), EncryptionAlgorithm.AES256));
                double both = time(iterations, () -> encryptor.encrypt(signer.sign(plain, aliceKey, Instant.now()),
                        List.of(bob.certificate()), EncryptionAlgorithm.AES256));
                double verify = time(iterations, () -> {
                    if (!verifier.verify(signed, Instant.now()).isValid()) {
                        throw new IllegalStateException("not valid");
                    }
                });
                double decrypt = time(iterations, () -> {
                    if (!decryptor.decrypt(encrypted, bobKeys).isDecrypted()) {
                        throw new IllegalStateException("not decrypted");
                    }
                });
                System.out.printf(Locale.ROOT, "%-8s %-7s %8.2fms %8.2fms %11.2fms %8.2fms %8.2fms%n", type,
                        size > 100_000 ? "1 MB" : "10 KB", sign, encrypt, both, verify, decrypt);
            }
        }
    }

    interface Work {
        void run() throws Exception;
    }

    /** Mean milliseconds per run after as many warm-up runs. */
    static double time(int iterations, Work work) throws Exception {
        for (int i = 0; i < iterations; i++) {
            work.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            work.run();
        }
        return (System.nanoTime() - start) / 1e6 / iterations;
    }
}
