package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestValidators;
import org.smimegw.mailets.testing.TestMessages;

/** One instance of each crypto class serves many threads at once. */
class ConcurrentUseTest {

    @Test
    void sharedInstancesWorkFromManyThreads(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create("Concurrent");
        TestPki.Issued alice = pki.issue("alice@example.com");
        TestPki.Issued bob = pki.user("bob@partner.example").keyType(TestPki.KeyType.EC_P256).issue();
        MessageFiles files = new MessageFiles(dir);
        SmimeSigner signer = new SmimeSigner(SignerSettings.defaults(), files);
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files);
        SmimeDecryptor decryptor = new SmimeDecryptor(files);
        SmimeVerifier verifier = new SmimeVerifier(TestValidators.pkix(TestKeys.trust(pki)), files);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    MimeMessage plain = TestMessages.simple("alice@example.com", "bob@partner.example", "n" + n, "message " + n + "\n");
                    MimeMessage signed = signer.sign(plain, TestKeys.userKey(alice), Instant.now());
                    MimeMessage encrypted = encryptor.encrypt(signed, List.of(bob.certificate()),
                            n % 2 == 0 ? EncryptionAlgorithm.AES256GCM : EncryptionAlgorithm.AES128);
                    DecryptionResult d = decryptor.decrypt(encrypted, List.of(TestKeys.userKey(bob)));
                    VerificationResult v = verifier.verify(d.message().orElseThrow(), Instant.now());
                    var multipart = (jakarta.mail.internet.MimeMultipart) d.message().get().getContent();
                    return v.status().value() + ":" + multipart.getBodyPart(0).getContent();
                }));
            }
            for (Future<String> f : results) {
                assertThat(f.get(5, TimeUnit.MINUTES)).isEqualTo("valid:message " + results.indexOf(f) + "\r\n\r\n"); // TestMessages ends bodies with a blank line
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
