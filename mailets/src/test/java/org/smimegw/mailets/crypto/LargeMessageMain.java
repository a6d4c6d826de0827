package org.smimegw.mailets.crypto;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestValidators;

/**
 * Signs, encrypts, decrypts and verifies a message of the given size (default 50 MB) and prints the peak heap.
 * Run in a JVM with a small heap (-Xmx256m) by {@link LargeMessageTest}; exits non-zero on any failure.
 */
public final class LargeMessageMain {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = args.length > 1 ? Long.parseLong(args[1]) : 50L * 1024 * 1024;
        TestPki pki = TestPki.create("Large");
        TestPki.Issued alice = pki.issue("alice@example.com");
        TestPki.Issued bob = pki.issue("bob@partner.example");
        Path input = dir.resolve("large.eml");
        writeLargeMessage(input, size);
        MessageFiles files = new MessageFiles(dir);
        MimeMessage message = new MimeMessage(files.session(), new SharedFileInputStream(input.toFile()));

        SmimeSigner signer = new SmimeSigner(SignerSettings.defaults(), files);
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files);
        MimeMessage signed = signer.sign(message, TestKeys.userKey(alice), Instant.now());
        MimeMessage encrypted = encryptor.encrypt(signed, List.of(bob.certificate()), EncryptionAlgorithm.AES256);
        File out = dir.resolve("large-signed-encrypted.eml").toFile();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out.toPath()))) {
            encrypted.writeTo(os);
        }
        System.out.println("input bytes " + Files.size(input) + ", signed+encrypted bytes " + out.length());

        DecryptionResult decrypted = new SmimeDecryptor(files).decrypt(encrypted, List.of(TestKeys.userKey(bob)));
        if (!decrypted.isDecrypted()) {
            throw new IllegalStateException("decryption: " + decrypted);
        }
        VerificationResult verified = new SmimeVerifier(TestValidators.pkix(TestKeys.trust(pki)), files)
                .verify(decrypted.message().orElseThrow(), Instant.now());
        if (!verified.isValid()) {
            throw new IllegalStateException("verification: " + verified);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, peak heap used "
                + peak / (1024 * 1024) + " MB (sum of pool peaks), verdict " + verified.status().value());
        System.out.println("OK");
    }

    static void writeLargeMessage(Path file, long size) throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("From: alice@example.com\r\nTo: bob@partner.example\r\nSubject: large\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\n"
                    + "A large attachment follows.\r\n--big\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=big.bin\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Random random = new Random(7);
            byte[] chunk = new byte[57 * 1024];
            Base64.Encoder encoder = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});
            long written = 0;
            while (written < size) {
                random.nextBytes(chunk);
                byte[] line = encoder.encode(chunk);
                out.write(line);
                out.write('\r');
                out.write('\n');
                written += line.length + 2;
            }
            out.write("--big--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
