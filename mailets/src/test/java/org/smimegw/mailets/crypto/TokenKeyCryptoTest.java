package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.pkcs11.Pkcs11KeySource;
import org.smimegw.certstore.pkcs11.SoftHsm2Extension;
import org.smimegw.certstore.pkcs11.SoftHsmToken;
import org.smimegw.certstore.pkcs11.TokenEnroller;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.OpenSsl;
import org.smimegw.mailets.testing.TestMessages;
import org.smimegw.mailets.testing.TestValidators;

/**
 * The crypto classes with users' keys in a real SoftHSM2 token (PKCS#11): signatures made in the token verify with
 * openssl, mail encrypted to a token user's certificate (RSA key transport, ECDH key agreement) is decrypted with the
 * token's key. The keys are generated inside the token and cannot be extracted. (Skipped, loudly, without SoftHSM2.)
 */
@ExtendWith(SoftHsm2Extension.class)
class TokenKeyCryptoTest {

    private static final String RSA_USER = "token-rsa-" + System.nanoTime() + "@example.com"; // token shared in JVM
    private static final String EC_USER = "token-ec-" + System.nanoTime() + "@example.com";

    private static TestPki pki;
    private static Pkcs11KeySource token;

    @TempDir
    Path dir;
    private MessageFiles files;

    @BeforeEach
    void enrollOnce(SoftHsmToken softHsm) throws Exception {
        files = new MessageFiles(dir);
        if (token != null) {
            return;
        }
        pki = TestPki.create("Token crypto");
        token = new Pkcs11KeySource(softHsm.config());
        TokenEnroller enroller = new TokenEnroller(token);
        enroller.enroll(RSA_USER, TokenEnroller.KeyAlgorithm.RSA_2048,
                kp -> pki.user(RSA_USER).keyPair(kp).issue().fullChain());
        enroller.enroll(EC_USER, TokenEnroller.KeyAlgorithm.EC_P256,
                kp -> pki.user(EC_USER).keyPair(kp).issue().fullChain());
    }

    @AfterAll
    static void close() {
        if (token != null) {
            token.close();
        }
    }

    private static UserKey signingKey(String address) {
        UserKey key = token.signingKey(address).orElseThrow();
        assertThat(key.storage()).isEqualTo(KeyStorage.HARDWARE);
        assertThat(key.provider()).isSameAs(token.provider());
        assertThat(key.privateKey().getEncoded()).as("a handle, not key material").isNull();
        return key;
    }

    private MimeMessage message(String from) throws Exception {
        return TestMessages.simple(from, "bob@partner.example", "from the token", "Hello Bob,\nsigned in a token.\n");
    }

    private void assertOpenSslVerifies(MimeMessage signed, String name) throws Exception {
        Path root = TestPki.writePem(dir.resolve("root.pem"), pki.rootCertificate());
        Path file = TestMessages.write(signed, dir.resolve(name));
        Path out = dir.resolve(name + ".out");
        OpenSsl.Result r = new OpenSsl(dir).run("cms", "-verify", "-in", file.toString(), "-CAfile", root.toString(),
                "-out", out.toString());
        assertThat(r.ok()).as("openssl cms -verify: " + r).isTrue();
        assertThat(r.stderr()).contains("Verification successful");
        assertThat(Files.readString(out)).contains("signed in a token.");
    }

    private VerificationStatus ourVerdict(MimeMessage signed) {
        TrustCollection trust = TestKeys.trust(pki);
        return new SmimeVerifier(TestValidators.pkix(trust), files, TestProviders.providers()).verify(signed, Instant.now()).status();
    }

    @ParameterizedTest
    @EnumSource(SignMode.class)
    void rsaTokenKeySignsAndOpenSslVerifies(SignMode mode) throws Exception {
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults().withMode(mode), files, TestProviders.providers())
                .sign(message(RSA_USER), signingKey(RSA_USER), Instant.now());

        assertOpenSslVerifies(signed, "rsa-" + mode + ".eml");
        assertThat(ourVerdict(signed)).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void ecP256TokenKeySignsAndOpenSslVerifies() throws Exception {
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults().withDigest(DigestAlgorithm.SHA384), files, TestProviders.providers())
                .sign(message(EC_USER), signingKey(EC_USER), Instant.now());

        assertOpenSslVerifies(signed, "ec.eml");
        assertThat(ourVerdict(signed)).isEqualTo(VerificationStatus.VALID);
    }

    private DecryptionResult encryptAndDecrypt(String user, EncryptionAlgorithm algorithm) throws Exception {
        List<UserKey> keys = token.decryptionKeys(user);
        assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k.provider()).isSameAs(token.provider()));
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files, TestProviders.providers()).encrypt(
                TestMessages.simple("bob@partner.example", user, "to the token", "for the token holder only\n"),
                List.of(keys.get(0).certificate()), algorithm);
        return new SmimeDecryptor(files, TestProviders.providers()).decrypt(encrypted, keys);
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionAlgorithm.class, names = {"AES256", "AES256GCM"})
    void mailToAnRsaTokenUserIsDecryptedInTheToken(EncryptionAlgorithm algorithm) throws Exception {
        DecryptionResult result = encryptAndDecrypt(RSA_USER, algorithm);

        assertThat(result.isDecrypted()).as(result.reason()).isTrue();
        assertThat((String) result.message().orElseThrow().getContent()).contains("for the token holder only");
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionAlgorithm.class, names = {"AES256", "AES256GCM"})
    void mailToAnEcTokenUserIsDecryptedWithEcdhInTheToken(EncryptionAlgorithm algorithm) throws Exception {
        DecryptionResult result = encryptAndDecrypt(EC_USER, algorithm);

        assertThat(result.isDecrypted()).as(result.reason()).isTrue();
        assertThat((String) result.message().orElseThrow().getContent()).contains("for the token holder only");
    }

    @Test
    void rsaPssSignatureIsMadeInTheTokenToo() throws Exception {
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults().withRsaScheme(SignatureScheme.PSS), files, TestProviders.providers())
                .sign(message(RSA_USER), signingKey(RSA_USER), Instant.now());

        assertOpenSslVerifies(signed, "pss.eml");
        assertThat(ourVerdict(signed)).isEqualTo(VerificationStatus.VALID);
    }

    /** SunPKCS11 has no RSA-OAEP cipher: the token does raw RSA and the OAEP decoding runs in software. */
    @Test
    void oaepToATokenKeyIsDecryptedByTheToken() throws Exception {
        List<UserKey> keys = token.decryptionKeys(RSA_USER);
        MimeMessage encrypted = new SmimeEncryptor(
                new EncryptorSettings(KeyTransport.RSA_OAEP_SHA256, RecipientIdentifierType.ISSUER_AND_SERIAL), files, TestProviders.providers())
                .encrypt(TestMessages.simple("bob@partner.example", RSA_USER, "oaep", "for the token holder only\n"),
                        List.of(keys.get(0).certificate()), EncryptionAlgorithm.AES256);

        DecryptionResult result = new SmimeDecryptor(files, TestProviders.providers()).decrypt(encrypted, keys);

        assertThat(result.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(result.keyEncryption()).contains("OAEP");
        assertThat((String) result.message().orElseThrow().getContent()).contains("for the token holder only");
    }
}
