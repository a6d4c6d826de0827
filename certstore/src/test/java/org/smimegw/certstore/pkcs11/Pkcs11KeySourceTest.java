package org.smimegw.certstore.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.KeyPair;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.security.spec.MGF1ParameterSpec;
import java.util.Map;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CompositeCertificateStore;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.testing.TestPki;

/** Keys generated in a real SoftHSM2 token, found by address and used for CMS signing and decryption. */
@ExtendWith(SoftHsm2Extension.class)
class Pkcs11KeySourceTest {

    private static final byte[] CONTENT = "Subject: hello\r\n\r\nfrom a hardware token\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static TestPki pki;
    private static Pkcs11KeySource source;
    private static X509Certificate aliceRsa;
    private final Provider bc = new BouncyCastleProvider();

    /** Once for the class, in a BeforeEach so that a missing SoftHSM2 shows as every test skipped. */
    @BeforeEach
    void enrollOnce(SoftHsmToken token) {
        if (source != null) {
            return;
        }
        pki = TestPki.create("Pkcs11");
        source = new Pkcs11KeySource(token.config());
        aliceRsa = new TokenEnroller(source).enroll("alice-rsa", TokenEnroller.KeyAlgorithm.RSA_2048,
                kp -> pki.user("alice@example.com").keyPair(kp).issue().fullChain()).get(0);
    }

    @AfterAll
    static void closeSource() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void findsTheEnrolledKeyAsHardwareKeyThatCannotBeExtracted() {
        UserKey key = source.signingKey("Alice@Example.com").orElseThrow();

        assertThat(key.storage()).isEqualTo(KeyStorage.HARDWARE);
        assertThat(key.certificate()).isEqualTo(aliceRsa);
        assertThat(key.chain()).containsExactly(pki.intermediate().certificate(), pki.rootCertificate());
        assertThat(key.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(key.privateKey().getEncoded()).as("a token key is only a handle").isNull();
        assertThat(source.decryptionKeys("alice@example.com")).extracting(UserKey::certificate).contains(aliceRsa);
        assertThat(source.addresses()).contains("alice@example.com");
    }

    @Test
    void plugsIntoTheCompositeStoreAsAKeySource() {
        CertificateStore store = new CompositeCertificateStore(List.of(source), List.of(), List.of(),
                () -> { throw new UnsupportedOperationException("no trust in this test"); }, Clock.systemUTC());

        assertThat(source.name()).isEqualTo("pkcs11:test");
        assertThat(store.signingKey("alice@example.com")).map(UserKey::storage).contains(KeyStorage.HARDWARE);
        assertThat(store.decryptionKeys("ALICE@example.com")).extracting(UserKey::certificate).containsExactly(aliceRsa);
        assertThat(source.keys("alice@example.com")).hasSize(1);
    }

    @Test
    void keyIsAPermanentTokenObjectSeenByANewSession(SoftHsmToken token) {
        try (Pkcs11KeySource other = new Pkcs11KeySource(token.config())) {
            assertThat(other.signingKey("alice@example.com")).map(UserKey::certificate).contains(aliceRsa);
        }
    }

    @Test
    void signsCmsWithTheTokenKeyAndTheCertificateVerifiesIt() throws Exception {
        UserKey key = source.signingKey("alice@example.com").orElseThrow();

        CMSSignedData signed = sign(key, "SHA256withRSA");

        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(bc).build(aliceRsa))).isTrue();
        assertThat(signer.getDigestAlgOID()).isEqualTo(CMSAlgorithm.SHA256.getId());
    }

    @Test
    void decryptsWithTheTokenKeyWhatSoftwareEncryptedToTheCertificate() throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(aliceRsa).setProvider(bc));
        CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(CONTENT),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(bc).build());
        UserKey key = source.decryptionKeys("alice@example.com").get(0);

        RecipientInformation recipient = enveloped.getRecipientInfos().getRecipients().iterator().next();
        byte[] clear = recipient.getContent(new JceKeyTransEnvelopedRecipient(key.privateKey())
                .setProvider(source.provider())
                .setContentProvider(bc)
                .setMustProduceEncodableUnwrappedKey(true));

        assertThat(clear).isEqualTo(CONTENT);
    }

    @Test
    void decryptsRsaOaepAndPkcs1WithTheTokenKeyThroughTokenKeyTransRecipient() throws Exception {
        UserKey key = source.decryptionKeys("alice@example.com").get(0);
        JcaAlgorithmParametersConverter converter = new JcaAlgorithmParametersConverter();
        List<AlgorithmIdentifier> transports = List.of(
                converter.getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, OAEPParameterSpec.DEFAULT),
                converter.getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256",
                        "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT)),
                converter.getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-384",
                        "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified("a label".getBytes(
                        StandardCharsets.US_ASCII)))),
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption));
        for (AlgorithmIdentifier transport : transports) {
            for (ASN1ObjectIdentifier content : List.of(CMSAlgorithm.AES256_CBC, CMSAlgorithm.AES128_GCM)) {
                CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
                generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(aliceRsa, transport)
                        .setProvider(bc));
                CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(CONTENT),
                        new JceCMSContentEncryptorBuilder(content).setProvider(bc).build());

                RecipientInformation recipient = enveloped.getRecipientInfos().getRecipients().iterator().next();
                byte[] clear = recipient.getContent(
                        new TokenKeyTransRecipient(key.privateKey(), key.certificate(), source.provider(), bc));

                assertThat(clear).as(transport.getAlgorithm() + " " + content).isEqualTo(CONTENT);
            }
        }
    }

    @Test
    void anOaepKeyEncryptedToAnotherKeyIsAClearFailureNotGarbage() throws Exception {
        UserKey key = source.decryptionKeys("alice@example.com").get(0);
        TestPki.Issued other = pki.issue("other@example.com");
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(other.certificate(),
                new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                        OAEPParameterSpec.DEFAULT)).setProvider(bc));
        CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(CONTENT),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(bc).build());
        RecipientInformation recipient = enveloped.getRecipientInfos().getRecipients().iterator().next();

        assertThatThrownBy(() -> recipient.getContent(
                new TokenKeyTransRecipient(key.privateKey(), key.certificate(), source.provider(), bc)))
                .isInstanceOf(CMSException.class).hasMessageContaining("RSA-OAEP");
    }

    @Test
    void ecP256KeyInTheTokenSigns() throws Exception {
        X509Certificate carol = new TokenEnroller(source).enroll("carol-ec", TokenEnroller.KeyAlgorithm.EC_P256,
                kp -> pki.user("carol@example.com").keyType(TestPki.KeyType.EC_P256).keyPair(kp).issue()
                        .fullChain()).get(0);
        UserKey key = source.signingKey("carol@example.com").orElseThrow();
        assertThat(key.certificate()).isEqualTo(carol);
        assertThat(key.storage()).isEqualTo(KeyStorage.HARDWARE);

        CMSSignedData signed = sign(key, "SHA256withECDSA");

        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(bc).build(carol))).isTrue();
    }

    @Test
    void ecP256KeyInTheTokenDecryptsThroughTokenKeyAgreeRecipient() throws Exception {
        X509Certificate frank = new TokenEnroller(source).enroll("frank-ec", TokenEnroller.KeyAlgorithm.EC_P256,
                kp -> pki.user("frank@example.com").keyType(TestPki.KeyType.EC_P256).keyPair(kp).issue()
                        .fullChain()).get(0);
        for (ASN1ObjectIdentifier scheme : List.of(CMSAlgorithm.ECDH_SHA256KDF, CMSAlgorithm.ECDH_SHA384KDF,
                CMSAlgorithm.ECCDH_SHA256KDF)) {
            KeyPair ephemeral = TestPki.generate(TestPki.KeyType.EC_P256);
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(scheme, ephemeral.getPrivate(),
                    ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).setProvider(bc).addRecipient(frank));
            CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(CONTENT),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(bc).build());
            UserKey key = source.decryptionKeys("frank@example.com").get(0);
            assertThat(key.certificate()).isEqualTo(frank);
            assertThat(key.privateKey().getEncoded()).as("the EC key stays in the token").isNull();

            RecipientInformation recipient = enveloped.getRecipientInfos().getRecipients().iterator().next();
            byte[] clear = recipient.getContent(
                    new TokenKeyAgreeRecipient(key.privateKey(), key.certificate(), source.provider(), bc));

            assertThat(clear).as(scheme.getId()).isEqualTo(CONTENT);
        }
    }

    @Test
    void keyUsageDecidesWhetherAKeySignsOrDecrypts() {
        TokenEnroller enroller = new TokenEnroller(source);
        X509Certificate signing = enroller.enroll("dave-sign", TokenEnroller.KeyAlgorithm.RSA_2048,
                kp -> pki.user("dave@example.com").keyPair(kp)
                        .keyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation).issue().fullChain()).get(0);
        X509Certificate encryption = enroller.enroll("dave-encrypt", TokenEnroller.KeyAlgorithm.RSA_2048,
                kp -> pki.user("dave@example.com").keyPair(kp).keyUsage(KeyUsage.keyEncipherment).issue()
                        .fullChain()).get(0);

        assertThat(source.signingKey("dave@example.com")).map(UserKey::certificate).contains(signing);
        assertThat(source.decryptionKeys("dave@example.com")).extracting(UserKey::certificate)
                .containsExactly(encryption);
    }

    @Test
    void aUserWithoutKeyInTheTokenGetsNothing() {
        assertThat(source.signingKey("bob@example.com")).isEmpty();
        assertThat(source.decryptionKeys("bob@example.com")).isEmpty();
        assertThat(source.signingKey(null)).isEmpty();
    }

    @Test
    void reloadPicksUpKeysStoredThroughAnotherSession(SoftHsmToken token) {
        try (Pkcs11KeySource other = new Pkcs11KeySource(token.config())) {
            new TokenEnroller(other).enroll("erin", TokenEnroller.KeyAlgorithm.RSA_2048,
                    kp -> pki.user("erin@example.com").keyPair(kp).issue().fullChain());
        }
        source.reload();
        assertThat(source.signingKey("erin@example.com")).isPresent();
    }

    @Test
    void reloadsOnTheConfiguredIntervalWithoutBeingAsked(SoftHsmToken token) throws Exception {
        try (Pkcs11KeySource periodic = new Pkcs11KeySource(token.config().withReloadIntervalSeconds(1))) {
            assertThat(periodic.signingKey("grace@example.com")).isEmpty();
            new TokenEnroller(source).enroll("grace", TokenEnroller.KeyAlgorithm.RSA_2048,
                    kp -> pki.user("grace@example.com").keyPair(kp).issue().fullChain());
            // generous: the point is that it happens at all without reload()
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (periodic.signingKey("grace@example.com").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(periodic.signingKey("grace@example.com")).isPresent();
        }
    }

    @Test
    void wrongPinIsAClearError(SoftHsmToken token, @TempDir Path dir) throws Exception {
        Path wrong = Files.writeString(dir.resolve("pin"), "9999\n");
        // PKCS#11 login belongs to the process: while any session of this JVM is logged in, C_Login does not check
        // a PIN. Log out (as a freshly started gateway would be), try the wrong PIN, then log in again.
        ((AuthProvider) source.provider()).logout();
        try {
            assertThatThrownBy(() -> new Pkcs11KeySource(token.config().withPin("file:" + wrong)).close())
                    .isInstanceOf(TokenException.class)
                    .hasMessage("wrong PIN for token test (token in slot " + token.slot() + ") (certstore.pkcs11.pin)");
        } finally {
            source.reload();
        }
        assertThat(source.signingKey("alice@example.com")).isPresent();
    }

    @Test
    void pinComesFromTheEnvironmentAndNeverFromTheConfigItself(SoftHsmToken token) {
        SecretReferences env = new SecretReferences(Map.of("TOKEN_PIN", token.pin())::get);
        try (Pkcs11KeySource viaEnv = new Pkcs11KeySource(token.config().withPin("env:TOKEN_PIN"), env,
                Clock.systemUTC())) {
            assertThat(viaEnv.signingKey("alice@example.com")).isPresent();
        }
        assertThatThrownBy(() -> new Pkcs11KeySource(token.config().withPin(token.pin()), env, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certstore.pkcs11.pin must be a reference");
    }

    @Test
    void findsTheTokenByLabel(SoftHsmToken token) {
        Pkcs11Config byLabel = Pkcs11Config.byLabel(token.library(), token.label(), "file:" + token.pinFile())
                .withReloadIntervalSeconds(0);
        try (Pkcs11KeySource labelled = new Pkcs11KeySource(byLabel)) {
            assertThat(labelled.signingKey("alice@example.com")).map(UserKey::certificate).contains(aliceRsa);
        }
    }

    @Test
    void unknownTokenIsAClearError(SoftHsmToken token) {
        Pkcs11Config noSuchLabel = Pkcs11Config.byLabel(token.library(), "no-such-token", "file:" + token.pinFile());
        assertThatThrownBy(() -> new Pkcs11KeySource(noSuchLabel))
                .isInstanceOf(TokenException.class)
                .hasMessageContaining("token not found")
                .hasMessageContaining("no-such-token")
                .hasMessageContaining(token.label());
        Pkcs11Config noSuchSlot = Pkcs11Config.bySlot(token.library(), 4242, "file:" + token.pinFile());
        assertThatThrownBy(() -> new Pkcs11KeySource(noSuchSlot))
                .isInstanceOf(TokenException.class)
                .hasMessageContaining("token not found")
                .hasMessageContaining("slot 4242");
    }

    @Test
    void missingModuleIsAClearError(@TempDir Path dir) {
        String missing = dir.resolve("libnothing.so").toString();
        assertThatThrownBy(() -> new Pkcs11KeySource(Pkcs11Config.bySlot(missing, 0, "env:X")))
                .isInstanceOf(TokenException.class)
                .hasMessage("PKCS#11 module not found: " + missing + " (certstore.pkcs11.library)");
    }

    private CMSSignedData sign(UserKey key, String algorithm) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder(algorithm).setProvider(source.provider())
                .build(key.privateKey());
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(bc).build()).build(signer, key.certificate()));
        generator.addCertificates(new JcaCertStore(List.of(key.certificate())));
        return generator.generate(new CMSProcessableByteArray(CONTENT), true);
    }

}
