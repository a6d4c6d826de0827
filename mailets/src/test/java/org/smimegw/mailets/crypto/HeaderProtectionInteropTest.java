package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.Commands;
import org.smimegw.mailets.testing.OpenSsl;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestMessages;

/**
 * RFC 9788 header protection as the gateway writes it (hp="clear" signed, hp="cipher" encrypted, signed then
 * encrypted) still verifies and decrypts in OpenSSL ({@code openssl cms}), GnuPG ({@code gpgsm}) and Mozilla NSS
 * ({@code cmsutil}, Thunderbird's library), and each of them hands out the payload with its protected fields and
 * hp parameter, which is what a client implementing RFC 9788 shows. Needs the packages openssl, gpgsm and
 * libnss3-tools.
 */
class HeaderProtectionInteropTest {

    static final String PASSWORD = "interop";
    static Path dir;
    static TestPki.Issued alice;
    static TestPki.Issued bob;
    static MessageFiles files;
    static OpenSsl openssl;
    static Commands gpgsm;
    static Commands nss;

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        assertThat(Commands.installed("gpgsm")).as("gpgsm (Debian package gpgsm) is installed").isTrue();
        assertThat(Commands.installed("cmsutil")).as("cmsutil (Debian package libnss3-tools) is installed").isTrue();
        dir = tmp;
        TestPki pki = TestPki.create("HP Interop");
        alice = pki.issue("alice@example.com");
        bob = pki.issue("bob@partner.example");
        files = new MessageFiles(dir);
        openssl = new OpenSsl(dir);
        TestPki.writePem(dir.resolve("root.pem"), pki.rootCertificate());
        TestPki.writePem(dir.resolve("inter.pem"), pki.intermediate().certificate());
        TestPki.writePem(dir.resolve("bob.crt"), bob.certificate());
        Files.writeString(dir.resolve("bob.key"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(bob.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        // gpgsm 2.2 reads only the legacy PKCS#12 encryption
        OpenSsl.Result p12 = openssl.run("pkcs12", "-export", "-legacy", "-in", "bob.crt", "-inkey", "bob.key",
                "-out", "bob.p12", "-passout", "pass:" + PASSWORD);
        assertThat(p12.ok()).as(p12.toString()).isTrue();

        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(home.resolve("gpgsm.conf"), "disable-crl-checks\ndisable-policy-checks\n");
        Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(pki.rootCertificate().getEncoded());
        Files.writeString(home.resolve("trustlist.txt"), HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha1)
                + " S relax\n");
        gpgsm = new Commands(dir, Map.of("GNUPGHOME", home.toString()));
        ok(gpgsm.run(PASSWORD + "\n", gpg("--import", "bob.p12")));
        ok(gpgsm.run("", gpg("--import", "root.pem")));
        ok(gpgsm.run("", gpg("--import", "inter.pem")));

        Files.createDirectories(dir.resolve("nss"));
        nss = new Commands(dir, Map.of());
        ok(nss.run("", List.of("certutil", "-N", "-d", "sql:nss", "--empty-password")));
        ok(nss.run("", List.of("pk12util", "-i", "bob.p12", "-d", "sql:nss", "-W", PASSWORD)));
        ok(nss.run("", List.of("certutil", "-A", "-n", "root", "-t", "C,C,C", "-i", "root.pem", "-d", "sql:nss")));
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (gpgsm != null) {
            gpgsm.run("", List.of("gpgconf", "--kill", "gpg-agent"));
        }
    }

    private static List<String> gpg(String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpgsm", "--batch", "--pinentry-mode", "loopback",
                "--passphrase-fd", "0"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Commands.Result ok(Commands.Result r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
        return r;
    }

    static MimeMessage message() throws Exception {
        return TestMessages.parse("From: Alice <alice@example.com>\r\nTo: bob@partner.example\r\n"
                + "Subject: The Jones contract\r\nMessage-ID: <interop-hp@example.com>\r\n"
                + "Date: Sun, 6 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe terms are attached.\r\n");
    }

    static MimeMessage encrypt(MimeMessage m, EncryptionAlgorithm algorithm) throws Exception {
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers())
                .encrypt(m, List.of(bob.certificate()), algorithm, true);
        assertThat(encrypted.getHeader("Subject")).containsExactly("[...]");
        return encrypted;
    }

    static MimeMessage sign(SignMode mode, HeaderProtection.Mode hp) throws Exception {
        return new SmimeSigner(SignerSettings.defaults().withMode(mode), files, TestProviders.providers())
                .sign(message(), TestKeys.userKey(alice), Instant.now(), hp);
    }

    /** The CMS structure of an application/pkcs7-mime message (or part), DER, in a file. */
    static Path der(jakarta.mail.Part part, String name) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return Files.write(dir.resolve(name), in.readAllBytes());
        }
    }

    /** The first part of a multipart/signed message as signed (the bytes between the boundaries). */
    static Path signedContent(MimeMessage signed, String name) throws Exception {
        String raw = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1);
        String boundary = "--" + new ContentType(signed.getContentType()).getParameter("boundary");
        int start = raw.indexOf(boundary + "\r\n") + boundary.length() + 2;
        int end = raw.indexOf("\r\n" + boundary, start);
        return Files.writeString(dir.resolve(name), raw.substring(start, end), StandardCharsets.ISO_8859_1);
    }

    static void assertCipherPayload(String text) {
        assertThat(text).contains("hp=cipher").contains("Subject: The Jones contract")
                .contains("HP-Outer: Subject: [...]").contains("The terms are attached.");
    }

    static void assertClearPayload(String text) {
        assertThat(text).contains("hp=clear").contains("Subject: The Jones contract")
                .doesNotContain("HP-Outer").contains("The terms are attached.");
    }

    // ---------- OpenSSL ----------

    @ParameterizedTest
    @EnumSource(value = EncryptionAlgorithm.class, names = {"AES256", "AES128GCM", "AES256GCM"})
    void openSslDecryptsHpCipher(EncryptionAlgorithm algorithm) throws Exception {
        Path in = TestMessages.write(encrypt(message(), algorithm), dir.resolve("enc-" + algorithm + ".eml"));
        OpenSsl.Result r = openssl.run("cms", "-decrypt", "-in", in.toString(), "-recip", "bob.crt", "-inkey",
                "bob.key", "-out", "dec-" + algorithm + ".txt");
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertCipherPayload(Files.readString(dir.resolve("dec-" + algorithm + ".txt")));
    }

    @ParameterizedTest
    @EnumSource(SignMode.class)
    void openSslVerifiesHpClear(SignMode mode) throws Exception {
        Path in = TestMessages.write(sign(mode, HeaderProtection.Mode.CLEAR), dir.resolve("clear-" + mode + ".eml"));
        OpenSsl.Result r = openssl.run("cms", "-verify", "-in", in.toString(), "-CAfile", "root.pem", "-out",
                "verified-" + mode + ".txt");
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertClearPayload(Files.readString(dir.resolve("verified-" + mode + ".txt")));
    }

    @Test
    void openSslDecryptsAndVerifiesSignedThenEncrypted() throws Exception {
        MimeMessage encrypted = encrypt(sign(SignMode.CLEAR, HeaderProtection.Mode.CIPHER), EncryptionAlgorithm.AES256);
        Path in = TestMessages.write(encrypted, dir.resolve("signed-enc.eml"));
        assertThat(openssl.run("cms", "-decrypt", "-in", in.toString(), "-recip", "bob.crt", "-inkey", "bob.key",
                "-out", "signed-enc.dec").ok()).isTrue();
        OpenSsl.Result r = openssl.run("cms", "-verify", "-in", "signed-enc.dec", "-CAfile", "root.pem", "-out",
                "signed-enc.txt");
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertCipherPayload(Files.readString(dir.resolve("signed-enc.txt")));
    }

    // ---------- GnuPG gpgsm ----------

    @Test
    void gpgsmDecryptsHpCipher() throws Exception {
        Path in = der(encrypt(message(), EncryptionAlgorithm.AES256), "gpgsm-enc.der");
        Commands.Result r = ok(gpgsm.run(PASSWORD + "\n", gpg("--output", "gpgsm-dec.txt", "--decrypt", in.toString())));
        assertCipherPayload(Files.readString(dir.resolve("gpgsm-dec.txt")));
    }

    @Test
    void gpgsmVerifiesHpClearOpaque() throws Exception {
        Path in = der(sign(SignMode.OPAQUE, HeaderProtection.Mode.CLEAR), "gpgsm-opaque.der");
        Commands.Result r = ok(gpgsm.run("", gpg("--output", "gpgsm-opaque.txt", "--verify", in.toString())));
        assertThat(r.stderr()).contains("Good signature");
        assertClearPayload(Files.readString(dir.resolve("gpgsm-opaque.txt")));
    }

    @Test
    void gpgsmVerifiesHpClearDetached() throws Exception {
        MimeMessage signed = TestMessages.parse(new String(TestMessages.bytes(sign(SignMode.CLEAR,
                HeaderProtection.Mode.CLEAR)), StandardCharsets.ISO_8859_1));
        Path content = signedContent(signed, "gpgsm-detached.txt");
        Path signature = der(((MimeMultipart) signed.getContent()).getBodyPart(1), "gpgsm-detached.der");
        Commands.Result r = ok(gpgsm.run("", gpg("--verify", signature.toString(), content.toString())));
        assertThat(r.stderr()).contains("Good signature");
        assertClearPayload(Files.readString(content));
    }

    // ---------- Mozilla NSS cmsutil ----------

    @Test
    void nssDecryptsHpCipher() throws Exception {
        Path in = der(encrypt(message(), EncryptionAlgorithm.AES256), "nss-enc.der");
        ok(nss.run("", List.of("cmsutil", "-D", "-i", in.toString(), "-d", "sql:nss", "-o", "nss-dec.txt")));
        assertCipherPayload(Files.readString(dir.resolve("nss-dec.txt")));
    }

    @Test
    void nssVerifiesHpClearOpaque() throws Exception {
        Path in = der(sign(SignMode.OPAQUE, HeaderProtection.Mode.CLEAR), "nss-opaque.der");
        Commands.Result r = ok(nss.run("", List.of("cmsutil", "-D", "-h", "2", "-i", in.toString(), "-d", "sql:nss")));
        assertThat(r.stdout()).contains("signer0.status=GoodSignature");
        assertClearPayload(r.stdout());
    }

    @Test
    void nssVerifiesHpClearDetached() throws Exception {
        MimeMessage signed = TestMessages.parse(new String(TestMessages.bytes(sign(SignMode.CLEAR,
                HeaderProtection.Mode.CLEAR)), StandardCharsets.ISO_8859_1));
        Path content = signedContent(signed, "nss-detached.txt");
        Path signature = der(((MimeMultipart) signed.getContent()).getBodyPart(1), "nss-detached.der");
        Commands.Result r = ok(nss.run("", List.of("cmsutil", "-D", "-h", "2", "-i", signature.toString(), "-c",
                content.toString(), "-d", "sql:nss")));
        assertThat(r.stdout()).contains("signer0.status=GoodSignature");
        assertClearPayload(Files.readString(content));
    }
}
