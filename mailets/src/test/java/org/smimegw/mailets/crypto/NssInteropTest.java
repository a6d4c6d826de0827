package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.OpenSsl;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestMessages;

/**
 * NSS (Thunderbird's crypto library, through its {@code cmsutil} and {@code certutil} tools from libnss3-tools)
 * decrypts what the gateway signs and encrypts in one pass and verifies the inner signature against the test root.
 * Skipped, saying so, where the NSS tools are not installed.
 */
class NssInteropTest {

    private static Path dir;
    private static Path db;
    private static TestPki.Issued alice;
    private static TestPki.Issued bob;
    private static MessageFiles files;

    @BeforeAll
    static void nssDatabase(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("cmsutil") && onPath("certutil") && onPath("pk12util"),
                "NSS tools (cmsutil, certutil, pk12util: package libnss3-tools) not installed");
        dir = tmp;
        db = dir.resolve("nssdb");
        Files.createDirectories(db);
        TestPki pki = TestPki.create("Nss");
        alice = pki.issue("alice@example.com");
        bob = pki.issue("bob@partner.example");
        TestPki.writePem(dir.resolve("root.pem"), pki.rootCertificate());
        TestPki.writePem(dir.resolve("bob.crt"), bob.certificate());
        Files.writeString(dir.resolve("bob.key"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(bob.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        OpenSsl.Result p12 = new OpenSsl(dir).run("pkcs12", "-export", "-in", "bob.crt", "-inkey", "bob.key",
                "-out", "bob.p12", "-passout", "pass:nss");
        assertThat(p12.ok()).as(p12.toString()).isTrue();
        run("certutil", "-N", "-d", "sql:" + db, "--empty-password");
        run("pk12util", "-i", dir.resolve("bob.p12").toString(), "-d", "sql:" + db, "-W", "nss");
        run("certutil", "-A", "-d", "sql:" + db, "-n", "test-root", "-t", "C,C,C", "-i", dir.resolve("root.pem").toString());
        files = new MessageFiles(dir);
    }

    @ParameterizedTest
    @EnumSource(SignMode.class)
    void nssDecryptsAndVerifiesOnePassSignedAndEncryptedMail(SignMode mode) throws Exception {
        UserKey aliceKey = TestKeys.userKey(alice);
        SmimeSigner signer = new SmimeSigner(SignerSettings.defaults().withMode(mode), files, TestProviders.providers());
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers());
        MimeMessage plain = TestMessages.simple("alice@example.com", "bob@partner.example", "nss",
                "Hello Bob,\nthis is a test.\n");
        MimeMessage encrypted = encryptor.encrypt(plain, signer.signedEntity(plain, aliceKey, Instant.now(), null),
                List.of(bob.certificate()), EncryptionAlgorithm.AES256, false);

        Path enveloped = dir.resolve(mode + "-enveloped.der");
        try (InputStream der = encrypted.getInputStream()) {
            Files.write(enveloped, der.readAllBytes());
        }
        Path inner = dir.resolve(mode + "-inner.eml");
        run("cmsutil", "-D", "-d", "sql:" + db, "-i", enveloped.toString(), "-o", inner.toString());

        MimeBodyPart entity;
        try (InputStream in = Files.newInputStream(inner)) {
            entity = new MimeBodyPart(in);
        }
        Path content = dir.resolve(mode + "-content.txt");
        Path signature = dir.resolve(mode + "-signature.der");
        if (mode == SignMode.OPAQUE) {
            assertThat(entity.getContentType()).contains("signed-data");
            try (InputStream der = entity.getInputStream()) {
                Files.write(signature, der.readAllBytes());
            }
            // -u 4: verify for the email signer usage, up to the trusted test root
            run("cmsutil", "-D", "-u", "4", "-d", "sql:" + db, "-i", signature.toString(), "-o", content.toString());
        } else {
            assertThat(entity.getContentType()).startsWith("multipart/signed");
            MimeMultipart signed = (MimeMultipart) entity.getContent();
            try (InputStream der = signed.getBodyPart(1).getInputStream()) {
                Files.write(signature, der.readAllBytes());
            }
            Files.write(content, signedBytes(Files.readString(inner, StandardCharsets.ISO_8859_1),
                    new jakarta.mail.internet.ContentType(entity.getContentType()).getParameter("boundary")));
            run("cmsutil", "-D", "-u", "4", "-d", "sql:" + db, "-c", content.toString(), "-i", signature.toString());
        }
        assertThat(Files.readString(content, StandardCharsets.ISO_8859_1)).contains("this is a test.");
    }

    /** The first part of a multipart/signed as it was signed: the bytes between its first two boundaries. */
    private static byte[] signedBytes(String entity, String boundary) {
        String start = "--" + boundary + "\r\n";
        int from = entity.indexOf(start) + start.length();
        int to = entity.indexOf("\r\n--" + boundary, from);
        return entity.substring(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "nss-out", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(out)).isZero();
    }

    private static boolean onPath(String tool) {
        List<String> path = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        path.addAll(List.of("/usr/bin", "/usr/local/bin"));
        return path.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
