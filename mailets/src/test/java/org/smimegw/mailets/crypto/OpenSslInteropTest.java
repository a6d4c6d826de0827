package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestValidators;
import org.smimegw.mailets.testing.OpenSsl;
import org.smimegw.mailets.testing.TestMessages;

/** What we produce, openssl reads; what openssl produces, we read. */
class OpenSslInteropTest {

    static TestPki pki;
    static TestPki.Issued aliceRsa;
    static TestPki.Issued aliceEc;
    static TestPki.Issued bobRsa;
    static TestPki.Issued bobEc256;
    static TestPki.Issued bobEc384;
    static Path dir;
    static OpenSsl openssl;
    static MessageFiles files;
    static SmimeVerifier verifier;
    static SmimeDecryptor decryptor;

    @BeforeAll
    static void pki(@TempDir Path tmp) throws Exception {
        dir = tmp;
        pki = TestPki.create("Interop");
        aliceRsa = pki.issue("alice@example.com");
        aliceEc = pki.user("alice@example.com").keyType(TestPki.KeyType.EC_P256).issue();
        bobRsa = pki.issue("bob@partner.example");
        bobEc256 = pki.user("bob@partner.example").keyType(TestPki.KeyType.EC_P256).issue();
        bobEc384 = pki.user("bob@partner.example").keyType(TestPki.KeyType.EC_P384).issue();
        TestPki.writePem(dir.resolve("root.pem"), pki.rootCertificate());
        TestPki.writePem(dir.resolve("inter.pem"), pki.intermediate().certificate());
        for (var e : java.util.Map.of("alice-rsa", aliceRsa, "alice-ec", aliceEc, "bob-rsa", bobRsa,
                "bob-ec256", bobEc256, "bob-ec384", bobEc384).entrySet()) {
            TestPki.writePem(dir.resolve(e.getKey() + ".crt"), e.getValue().certificate());
            Files.writeString(dir.resolve(e.getKey() + ".key"), "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(e.getValue().privateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        }
        openssl = new OpenSsl(dir);
        files = new MessageFiles(dir);
        TrustCollection trust = TestKeys.trust(pki);
        verifier = new SmimeVerifier(TestValidators.pkix(trust), files, TestProviders.providers());
        decryptor = new SmimeDecryptor(files, TestProviders.providers());
    }

    static MimeMessage message() throws Exception {
        return TestMessages.simple("alice@example.com", "bob@partner.example", "interop",
                "Hello Bob,\nthis is a test.\n-- \nAlice\n");
    }

    static SmimeSigner signer(SignerSettings settings) {
        return new SmimeSigner(settings, files, TestProviders.providers());
    }

    static Path save(MimeMessage m, String name) throws Exception {
        return TestMessages.write(m, dir.resolve(name));
    }

    private static void assertOpenSslVerifies(Path signed, String... extra) throws Exception {
        assertOpenSslVerifies(List.of("cms", "smime"), signed, extra);
    }

    private static void assertOpenSslVerifies(List<String> tools, Path signed, String... extra) throws Exception {
        for (String tool : tools) {
            List<String> args = new java.util.ArrayList<>(List.of(tool, "-verify", "-in", signed.toString(),
                    "-CAfile", dir.resolve("root.pem").toString(), "-out", dir.resolve("verified.txt").toString()));
            args.addAll(List.of(extra));
            OpenSsl.Result r = openssl.run(args.toArray(String[]::new));
            assertThat(r.ok()).as(tool + " -verify: " + r).isTrue();
            assertThat(Files.readString(dir.resolve("verified.txt"))).contains("this is a test.");
        }
    }

    // ---------- we sign, openssl verifies ----------

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void clearSignedRsaPkcs1VerifiesWithOpenSsl(DigestAlgorithm digest) throws Exception {
        MimeMessage signed = signer(SignerSettings.defaults().withDigest(digest))
                .sign(message(), TestKeys.userKey(aliceRsa), Instant.now());
        assertThat(signed.getContentType()).startsWith("multipart/signed").contains("micalg=" + digest.displayName().toLowerCase());
        assertOpenSslVerifies(save(signed, "clear-" + digest + ".eml"));
        assertThat(verifier.verify(signed, Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void multipartWithAttachmentAnd8bitTextVerifiesWithOpenSsl() throws Exception {
        String raw = "From: alice@example.com\r\nTo: bob@partner.example\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Gr\u00fc\u00dfe, this is a test.\r\nFrom the start of a line.\r\n--outer\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=x.bin\r\n\r\nAAECAwQFBgcICQ==\r\n--outer--\r\n";
        MimeMessage message = new MimeMessage(files.session(),
                new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        for (SignMode mode : SignMode.values()) {
            MimeMessage signed = signer(SignerSettings.defaults().withMode(mode))
                    .sign(message, TestKeys.userKey(aliceRsa), Instant.now());
            assertOpenSslVerifies(save(signed, "parts-" + mode + ".eml"));
            if (mode == SignMode.CLEAR) {
                String text = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1);
                assertThat(text).doesNotContainIgnoringCase("Content-Transfer-Encoding: 8bit")
                        .containsIgnoringCase("Content-Transfer-Encoding: quoted-printable")
                        .contains("AAECAwQFBgcICQ==");
                assertThat(text.chars().allMatch(c -> c < 128)).as("7-bit clean").isTrue();
                var inner = (jakarta.mail.internet.MimeMultipart) ((jakarta.mail.internet.MimeMultipart) signed.getContent())
                        .getBodyPart(0).getContent();
                assertThat(inner.getBodyPart(0).getContent().toString()).startsWith("Gr\u00fc\u00dfe, this is a test.");
            }
            assertThat(verifier.verify(signed, Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
            MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers())
                    .encrypt(signed, List.of(bobRsa.certificate()), EncryptionAlgorithm.AES256GCM);
            DecryptionResult d = decryptor.decrypt(encrypted, List.of(TestKeys.userKey(bobRsa)));
            assertThat(verifier.verify(d.message().orElseThrow(), Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
        }
    }

    @Test
    void singlePart8bitTextIsClearSignedAsQuotedPrintable() throws Exception {
        String raw = "From: alice@example.com\r\nTo: bob@partner.example\r\nSubject: 8bit\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "\u00c4rger \u00fcber \u00d6l, this is a test.\r\n";
        MimeMessage message = new MimeMessage(files.session(),
                new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        MimeMessage signed = signer(SignerSettings.defaults()).sign(message, TestKeys.userKey(aliceRsa), Instant.now());
        String text = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1);
        assertThat(text.chars().allMatch(c -> c < 128)).as("7-bit clean").isTrue();
        assertOpenSslVerifies(save(signed, "8bit-single.eml"));
        var first = ((jakarta.mail.internet.MimeMultipart) signed.getContent()).getBodyPart(0);
        assertThat(first.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(first.getContentType()).contains("charset=utf-8");
        assertThat(first.getContent().toString()).startsWith("\u00c4rger \u00fcber \u00d6l, this is a test.");
        assertThat(verifier.verify(signed, Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void opaqueSignedVerifiesWithOpenSsl() throws Exception {
        MimeMessage signed = signer(SignerSettings.defaults().withMode(SignMode.OPAQUE))
                .sign(message(), TestKeys.userKey(aliceRsa), Instant.now());
        assertThat(signed.getContentType()).contains("application/pkcs7-mime").contains("signed-data");
        assertOpenSslVerifies(save(signed, "opaque.eml"));
        assertThat(verifier.verify(signed, Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void pssSignatureVerifiesWithOpenSsl() throws Exception {
        MimeMessage signed = signer(SignerSettings.defaults().withRsaScheme(SignatureScheme.PSS))
                .sign(message(), TestKeys.userKey(aliceRsa), Instant.now());
        // openssl smime (the PKCS7 API) cannot do RSASSA-PSS; openssl cms can
        assertOpenSslVerifies(List.of("cms"), save(signed, "pss.eml"));
        VerificationResult result = verifier.verify(signed, Instant.now());
        assertThat(result.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(result.signers().get(0).signatureAlgorithm()).containsIgnoringCase("PSS");
    }

    @Test
    void ecdsaSignatureVerifiesWithOpenSsl() throws Exception {
        MimeMessage signed = signer(SignerSettings.defaults().withDigest(DigestAlgorithm.SHA384))
                .sign(message(), TestKeys.userKey(aliceEc), Instant.now());
        assertOpenSslVerifies(save(signed, "ecdsa.eml"));
        assertThat(verifier.verify(signed, Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void signerOnlyNeedsTheIntermediateFromElsewhere() throws Exception {
        MimeMessage signed = signer(SignerSettings.defaults().withCertificates(CertificateInclusion.CERTIFICATE_ONLY))
                .sign(message(), TestKeys.userKey(aliceRsa), Instant.now());
        Path file = save(signed, "signer-only.eml");
        OpenSsl.Result without = openssl.run("cms", "-verify", "-in", file.toString(), "-CAfile",
                dir.resolve("root.pem").toString(), "-out", dir.resolve("x.txt").toString());
        assertThat(without.ok()).as("no intermediate in the signature").isFalse();
        Files.writeString(dir.resolve("root-and-inter.pem"),
                Files.readString(dir.resolve("root.pem")) + Files.readString(dir.resolve("inter.pem")));
        OpenSsl.Result with = openssl.run("cms", "-verify", "-in", file.toString(), "-CAfile",
                dir.resolve("root-and-inter.pem").toString(), "-out", dir.resolve("x.txt").toString());
        assertThat(with.ok()).as(with.toString()).isTrue();
    }

    @Test
    void certificateInclusionControlsTheCertificatesInTheSignature() throws Exception {
        for (CertificateInclusion inclusion : CertificateInclusion.values()) {
            MimeMessage signed = signer(SignerSettings.defaults().withCertificates(inclusion))
                    .sign(message(), TestKeys.userKey(aliceRsa), Instant.now());
            Path file = save(signed, "incl-" + inclusion + ".eml");
            OpenSsl.Result r = openssl.run("cms", "-verify", "-noverify", "-in", file.toString(),
                    "-certsout", dir.resolve("certs-" + inclusion + ".pem").toString(), "-out", dir.resolve("x.txt").toString());
            assertThat(r.ok()).as(r.toString()).isTrue();
            String certs = Files.readString(dir.resolve("certs-" + inclusion + ".pem"));
            int count = certs.split("BEGIN CERTIFICATE").length - 1;
            assertThat(count).as(inclusion.name()).isEqualTo(switch (inclusion) {
                case CERTIFICATE_ONLY -> 1;
                case CHAIN_WITHOUT_ROOT -> 2;
                case CHAIN_AND_ROOT -> 3;
            });
        }
    }

    @Test
    void signedAttributesCarryCapabilitiesAndKeyPreference() throws Exception {
        Instant signingTime = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(60);
        MimeMessage signed = signer(SignerSettings.defaults())
                .sign(message(), TestKeys.userKey(aliceRsa), signingTime);
        VerificationResult result = verifier.verify(signed, Instant.now());
        SignerResult s = result.signers().get(0);
        assertThat(s.signingTime()).isEqualTo(signingTime);
        assertThat(s.capabilities().algorithmOids()).startsWith(
                EncryptionAlgorithm.AES256GCM.oid().getId(), EncryptionAlgorithm.AES256.oid().getId());
        Path file = save(signed, "attrs.eml");
        OpenSsl.Result r = openssl.run("cms", "-cmsout", "-print", "-in", file.toString());
        assertThat(r.stdout()).contains("(1.2.840.113549.1.9.5)") // signingTime
                .contains("(1.2.840.113549.1.9.15)") // SMIMECapabilities
                .contains("(1.2.840.113549.1.9.16.2.11)"); // id-aa-encrypKeyPref
    }

    // ---------- we encrypt, openssl decrypts ----------

    private static void assertOpenSslDecrypts(MimeMessage encrypted, String name, String cert, String key) throws Exception {
        Path file = save(encrypted, name);
        Path out = dir.resolve(name + ".plain");
        OpenSsl.Result r = openssl.run("cms", "-decrypt", "-in", file.toString(), "-recip", dir.resolve(cert).toString(),
                "-inkey", dir.resolve(key).toString(), "-out", out.toString());
        assertThat(r.ok()).as("openssl cms -decrypt " + name + ": " + r).isTrue();
        assertThat(Files.readString(out, StandardCharsets.ISO_8859_1)).contains("this is a test.");
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionAlgorithm.class, names = {"AES128", "AES128GCM", "AES192", "AES256", "AES256GCM"})
    void everyContentEncryptionDecryptsWithOpenSsl(EncryptionAlgorithm algorithm) throws Exception {
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers());
        MimeMessage encrypted = encryptor.encrypt(message(), List.of(bobRsa.certificate()), algorithm);
        assertThat(encrypted.getContentType()).contains(algorithm.authenticated() ? "authEnveloped-data" : "enveloped-data");
        assertThat(encrypted.getHeader("Subject", null)).isEqualTo("interop");
        assertOpenSslDecrypts(encrypted, "enc-" + algorithm + ".eml", "bob-rsa.crt", "bob-rsa.key");
        DecryptionResult ours = decryptor.decrypt(encrypted, List.of(TestKeys.userKey(bobRsa)));
        assertThat(ours.status()).isEqualTo(algorithm.authenticated() ? DecryptionResult.Status.DECRYPTED
                : DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(ours.contentEncryption()).isEqualTo(algorithm.displayName());
    }

    @Test
    void oaepAndSubjectKeyIdentifierDecryptWithOpenSsl() throws Exception {
        SmimeEncryptor encryptor = new SmimeEncryptor(
                new EncryptorSettings(KeyTransport.RSA_OAEP_SHA256, RecipientIdentifierType.SUBJECT_KEY_IDENTIFIER), files, TestProviders.providers());
        MimeMessage encrypted = encryptor.encrypt(message(), List.of(bobRsa.certificate()), EncryptionAlgorithm.AES256);
        Path file = save(encrypted, "oaep.eml");
        OpenSsl.Result print = openssl.run("cms", "-cmsout", "-print", "-in", file.toString());
        assertThat(print.stdout()).contains("rsaesOaep").contains("subjectKeyIdentifier");
        assertOpenSslDecrypts(encrypted, "oaep2.eml", "bob-rsa.crt", "bob-rsa.key");
        assertThat(decryptor.decrypt(encrypted, List.of(TestKeys.userKey(bobRsa))).status())
                .isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
    }

    @Test
    void ecdhKeyAgreementDecryptsWithOpenSslForP256AndP384() throws Exception {
        for (RecipientIdentifierType rid : RecipientIdentifierType.values()) {
            SmimeEncryptor encryptor = new SmimeEncryptor(new EncryptorSettings(KeyTransport.RSA_PKCS1, rid), files, TestProviders.providers());
            MimeMessage encrypted = encryptor.encrypt(message(),
                    List.of(bobEc256.certificate(), bobEc384.certificate(), aliceRsa.certificate()), EncryptionAlgorithm.AES256GCM);
            assertOpenSslDecrypts(encrypted, "ec256-" + rid + ".eml", "bob-ec256.crt", "bob-ec256.key");
            assertOpenSslDecrypts(encrypted, "ec384-" + rid + ".eml", "bob-ec384.crt", "bob-ec384.key");
            assertOpenSslDecrypts(encrypted, "ecrsa-" + rid + ".eml", "alice-rsa.crt", "alice-rsa.key");
            for (TestPki.Issued who : List.of(bobEc256, bobEc384, aliceRsa)) {
                DecryptionResult r = decryptor.decrypt(encrypted, List.of(TestKeys.userKey(who)));
                assertThat(r.status()).as(rid + " " + r.reason()).isEqualTo(DecryptionResult.Status.DECRYPTED);
            }
        }
    }

    @Test
    void signedThenEncryptedDecryptsAndVerifiesWithOpenSsl() throws Exception {
        UserKey alice = TestKeys.userKey(aliceRsa);
        MimeMessage signed = signer(SignerSettings.defaults()).sign(message(), alice, Instant.now());
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers())
                .encrypt(signed, List.of(bobRsa.certificate()), EncryptionAlgorithm.AES256);
        Path file = save(encrypted, "sign-encrypt.eml");
        Path inner = dir.resolve("inner.eml");
        assertThat(openssl.run("cms", "-decrypt", "-in", file.toString(), "-recip", dir.resolve("bob-rsa.crt").toString(),
                "-inkey", dir.resolve("bob-rsa.key").toString(), "-out", inner.toString()).ok()).isTrue();
        assertOpenSslVerifies(inner);
        DecryptionResult d = decryptor.decrypt(encrypted, List.of(TestKeys.userKey(bobRsa)));
        assertThat(verifier.verify(d.message().orElseThrow(), Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    /**
     * One pass ({@link SmimeSigner#signedEntity} written into {@link SmimeEncryptor#encrypt}) encrypts the very entity
     * the two steps do: same signing time, same content, a deterministic PKCS#1 v1.5 signature, so the decrypted
     * bytes are equal (for a clear signature up to the random multipart boundary); openssl decrypts and verifies it.
     */
    @ParameterizedTest
    @EnumSource(SignMode.class)
    void onePassSignAndEncryptEncryptsWhatTwoStepsDo(SignMode mode) throws Exception {
        UserKey alice = TestKeys.userKey(aliceRsa);
        SmimeSigner signer = signer(new SignerSettings(mode, DigestAlgorithm.SHA256, SignatureScheme.PKCS1,
                CertificateInclusion.CHAIN_WITHOUT_ROOT, List.of(EncryptionAlgorithm.AES256), true));
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers());
        Instant now = Instant.now();
        MimeMessage twoSteps = encryptor.encrypt(signer.sign(message(), alice, now), List.of(bobRsa.certificate()),
                EncryptionAlgorithm.AES256);
        MimeMessage onePass = encryptor.encrypt(message(), signer.signedEntity(message(), alice, now, null),
                List.of(bobRsa.certificate()), EncryptionAlgorithm.AES256, false);
        assertThat(onePass.getHeader("Subject", null)).isEqualTo("interop");
        assertThat(onePass.getContentType()).isEqualTo(twoSteps.getContentType());

        String inner1 = opensslDecrypted(twoSteps, "two-steps-" + mode);
        String inner2 = opensslDecrypted(onePass, "one-pass-" + mode);
        if (mode == SignMode.CLEAR) {
            inner2 = inner2.replace(boundary(inner2), boundary(inner1));
        }
        assertThat(inner2).isEqualTo(inner1);
        assertOpenSslVerifies(dir.resolve("one-pass-" + mode + ".inner"));
        DecryptionResult d = decryptor.decrypt(onePass, List.of(TestKeys.userKey(bobRsa)));
        assertThat(verifier.verify(d.message().orElseThrow(), Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    private static String opensslDecrypted(MimeMessage encrypted, String name) throws Exception {
        Path file = save(encrypted, name + ".eml");
        Path inner = dir.resolve(name + ".inner");
        OpenSsl.Result r = openssl.run("cms", "-decrypt", "-binary", "-in", file.toString(), "-recip",
                dir.resolve("bob-rsa.crt").toString(), "-inkey", dir.resolve("bob-rsa.key").toString(),
                "-out", inner.toString());
        assertThat(r.ok()).as(r.toString()).isTrue();
        return Files.readString(inner, StandardCharsets.ISO_8859_1);
    }

    private static String boundary(String entity) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("boundary=\"([^\"]+)\"").matcher(entity);
        assertThat(m.find()).as("boundary in " + entity.lines().findFirst().orElse("")).isTrue();
        return m.group(1);
    }

    // ---------- openssl signs, we verify ----------

    private Path opensslSigned(String name, String cert, String key, String... extra) throws Exception {
        Path content = dir.resolve(name + ".content");
        Files.writeString(content, "Content-Type: text/plain\r\n\r\nHello Bob,\r\nthis is a test.\r\n");
        List<String> args = new java.util.ArrayList<>(List.of("cms", "-sign", "-in", content.toString(), "-signer",
                dir.resolve(cert).toString(), "-inkey", dir.resolve(key).toString(), "-certfile",
                dir.resolve("inter.pem").toString(), "-from", "alice@example.com", "-to", "bob@partner.example",
                "-subject", "from openssl", "-out", dir.resolve(name).toString()));
        args.addAll(List.of(extra));
        OpenSsl.Result r = openssl.run(args.toArray(String[]::new));
        assertThat(r.ok()).as(r.toString()).isTrue();
        return dir.resolve(name);
    }

    @Test
    void opensslRsaSignatureIsValid() throws Exception {
        VerificationResult r = verifier.verify(TestMessages.read(opensslSigned("o-rsa.eml", "alice-rsa.crt", "alice-rsa.key")), Instant.now());
        assertThat(r.status()).as(r.reasons().toString()).isEqualTo(VerificationStatus.VALID);
        assertThat(r.signers().get(0).matchedAddress()).isEqualTo("alice@example.com");
    }

    @Test
    void opensslPssSignatureIsValid() throws Exception {
        VerificationResult r = verifier.verify(TestMessages.read(opensslSigned("o-pss.eml", "alice-rsa.crt", "alice-rsa.key",
                "-keyopt", "rsa_padding_mode:pss")), Instant.now());
        assertThat(r.status()).as(r.reasons().toString()).isEqualTo(VerificationStatus.VALID);
        assertThat(r.signers().get(0).signatureAlgorithm()).containsIgnoringCase("PSS");
    }

    @Test
    void opensslEcdsaOpaqueSignatureIsValid() throws Exception {
        VerificationResult r = verifier.verify(TestMessages.read(opensslSigned("o-ec.eml", "alice-ec.crt", "alice-ec.key",
                "-nodetach")), Instant.now());
        assertThat(r.status()).as(r.reasons().toString()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void tamperedOpensslSignatureIsInvalid() throws Exception {
        Path signed = opensslSigned("o-tamper.eml", "alice-rsa.crt", "alice-rsa.key");
        String text = Files.readString(signed, StandardCharsets.ISO_8859_1).replace("this is a test.", "this is a fest.");
        VerificationResult r = verifier.verify(TestMessages.parse(text), Instant.now());
        assertThat(r.status()).isEqualTo(VerificationStatus.INVALID_SIGNATURE);
    }

    @Test
    void signerMismatchAndUntrustedAreTheirOwnVerdicts() throws Exception {
        String text = Files.readString(opensslSigned("o-mismatch.eml", "alice-rsa.crt", "alice-rsa.key"), StandardCharsets.ISO_8859_1)
                .replace("From: alice@example.com", "From: mallory@example.com");
        assertThat(verifier.verify(TestMessages.parse(text), Instant.now()).status()).isEqualTo(VerificationStatus.SIGNER_MISMATCH);

        TestPki other = TestPki.create("Other");
        SmimeVerifier strict = new SmimeVerifier(TestValidators.pkix(TestKeys.trust(other)), files, TestProviders.providers());
        VerificationResult r = strict.verify(TestMessages.read(dir.resolve("o-mismatch.eml")), Instant.now());
        assertThat(r.status()).isEqualTo(VerificationStatus.UNTRUSTED);
        assertThat(r.reasons()).anyMatch(s -> s.contains("NO_PATH_TO_TRUST_ANCHOR"));
    }

    // ---------- openssl encrypts, we decrypt ----------

    private DecryptionResult opensslEncrypted(String name, TestPki.Issued recipient, String cert, String... options) throws Exception {
        Path content = dir.resolve(name + ".content");
        Files.writeString(content, "Content-Type: text/plain\r\n\r\nHello Bob,\r\nthis is a test.\r\n");
        List<String> args = new java.util.ArrayList<>(List.of("cms", "-encrypt", "-in", content.toString(),
                "-from", "alice@example.com", "-to", "bob@partner.example", "-subject", "enc", "-out", dir.resolve(name).toString()));
        args.add("-recip");
        args.add(dir.resolve(cert).toString());
        args.addAll(List.of(options));
        OpenSsl.Result r = openssl.run(args.toArray(String[]::new));
        assertThat(r.ok()).as(r.toString()).isTrue();
        DecryptionResult result = decryptor.decrypt(TestMessages.read(dir.resolve(name)),
                List.of(TestKeys.userKey(aliceRsa), TestKeys.userKey(recipient)));
        assertThat(result.isDecrypted()).as(result.reason()).isTrue();
        assertThat(new String(TestMessages.bytes(result.message().orElseThrow()), StandardCharsets.ISO_8859_1))
                .contains("this is a test.").contains("Subject: enc");
        return result;
    }

    @Test
    void opensslAesCbcDecrypts() throws Exception {
        DecryptionResult cbc = opensslEncrypted("oe-cbc.eml", bobRsa, "bob-rsa.crt", "-aes-128-cbc");
        assertThat(cbc.contentEncryption()).isEqualTo("AES-128-CBC");
        // EnvelopedData: decrypted, not authenticated
        assertThat(cbc.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(opensslEncrypted("oe-cbc256.eml", bobRsa, "bob-rsa.crt", "-aes-256-cbc").contentEncryption()).isEqualTo("AES-256-CBC");
    }

    @Test
    void opensslRsaOaepDecrypts() throws Exception {
        DecryptionResult r = opensslEncrypted("oe-oaep.eml", bobRsa, "bob-rsa.crt", "-aes-256-cbc",
                "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        assertThat(r.keyEncryption()).containsIgnoringCase("OAEP");
    }

    @Test
    void opensslEcdhDecrypts() throws Exception {
        opensslEncrypted("oe-ec256.eml", bobEc256, "bob-ec256.crt", "-aes-256-cbc");
        opensslEncrypted("oe-ec384.eml", bobEc384, "bob-ec384.crt", "-aes-128-cbc");
    }

    @Test
    void opensslAesGcmAuthEnvelopedDecrypts() throws Exception {
        DecryptionResult r = opensslEncrypted("oe-gcm.eml", bobRsa, "bob-rsa.crt", "-aes-256-gcm");
        assertThat(r.contentEncryption()).isEqualTo("AES-256-GCM");
        assertThat(r.status()).isEqualTo(DecryptionResult.Status.DECRYPTED);
    }

    @Test
    void tamperedAuthEnvelopedDataFailsWithoutReleasingPlainText() throws Exception {
        SmimeEncryptor encryptor = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers());
        MimeMessage encrypted = encryptor.encrypt(message(), List.of(bobRsa.certificate()), EncryptionAlgorithm.AES256GCM);
        byte[] der = encrypted.getInputStream().readAllBytes();
        byte[] raw = encrypted.getInputStream().readAllBytes();
        der[der.length - 40] ^= 1; // inside the encrypted content, before the tag
        String tampered = "From: alice@example.com\r\nTo: bob@partner.example\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + java.util.Base64.getMimeEncoder().encodeToString(der) + "\r\n";
        assertThat(raw).isNotEmpty();
        DecryptionResult r = decryptor.decrypt(TestMessages.parse(tampered), List.of(TestKeys.userKey(bobRsa)));
        assertThat(r.status()).isEqualTo(DecryptionResult.Status.FAILED);
        assertThat(r.message()).isEmpty();
    }

    @Test
    void noMatchingKeyIsAResult() throws Exception {
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers())
                .encrypt(message(), List.of(bobRsa.certificate()), EncryptionAlgorithm.AES256);
        DecryptionResult r = decryptor.decrypt(encrypted, List.of(TestKeys.userKey(aliceRsa)));
        assertThat(r.status()).isEqualTo(DecryptionResult.Status.NO_KEY);
        assertThat(r.message()).isEmpty();
    }
}
