package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

import org.junit.jupiter.api.Test;

class PrimitiveProvidersTest {

    @Test
    void jdkSetUsesTheJcaDefaultExceptWhereOnlyBouncyCastleHasTheAlgorithm() {
        PrimitiveProviders p = PrimitiveProviders.select(CryptoProviders.JDK);
        assertThat(p.provider(Primitive.RSA_PRIVATE)).isEmpty();
        assertThat(p.provider(Primitive.SHA2)).isEmpty();
        assertThat(p.provider(Primitive.AES_CBC)).isEmpty();
        // CMS AES-GCM and the X9.63-KDF key agreement: names only Bouncy Castle has
        assertThat(p.provider(Primitive.AES_GCM)).contains(p.bouncyCastle());
        assertThat(p.provider(Primitive.ECDH)).contains(p.bouncyCastle());
        assertThat(p.signing("SHA256withRSAandMGF1")).contains(p.bouncyCastle());
        assertThat(p.correttoStatus()).contains("not used");
    }

    @Test
    void bcSetUsesBouncyCastleForEveryPrimitive() {
        PrimitiveProviders p = PrimitiveProviders.select(CryptoProviders.BC);
        for (Primitive primitive : Primitive.values()) {
            assertThat(p.provider(primitive)).as(primitive.displayName()).contains(p.bouncyCastle());
        }
    }

    @Test
    void autoTakesCorrettoForRsaAndEcdsaWhereItLoadsAndTheJdkWhereItDoesNot() {
        PrimitiveProviders p = PrimitiveProviders.select(CryptoProviders.AUTO);
        Optional<Provider> rsa = p.provider(Primitive.RSA_PRIVATE);
        if (p.correttoStatus().startsWith("ACCP 2")) { // linux-x86_64 / linux-aarch64
            assertThat(rsa).get().extracting(Provider::getName).isEqualTo("AmazonCorrettoCryptoProvider");
            assertThat(p.provider(Primitive.ECDSA)).get().extracting(Provider::getName).isEqualTo("AmazonCorrettoCryptoProvider");
        } else {
            assertThat(rsa).isEmpty();
        }
        // the JDK's intrinsics for AES-CBC and SHA-2; CMS AES-CBC cannot use ACCP (no AES AlgorithmParameters)
        assertThat(p.provider(Primitive.AES_CBC)).isEmpty();
        assertThat(p.provider(Primitive.SHA2)).isEmpty();
        // OAEP key transport never goes to ACCP
        assertThat(p.keyTransport(false, true)).isEmpty();
        assertThat(p.keyTransport(true, true)).isEmpty();
        assertThat(p.describe()).hasSize(Primitive.values().length);
    }

    @Test
    void envelopedAesCbcContentIsDecryptedWithTheAesCbcChoiceAndEveryOtherAlgorithmWithBouncyCastle() {
        for (CryptoProviders choice : CryptoProviders.values()) {
            PrimitiveProviders p = PrimitiveProviders.select(choice);
            for (var aes : List.of(CMSAlgorithm.AES128_CBC, CMSAlgorithm.AES192_CBC, CMSAlgorithm.AES256_CBC)) {
                assertThat(p.contentDecryption(new AlgorithmIdentifier(aes))).as(choice + " " + aes)
                        .isEqualTo(p.provider(Primitive.AES_CBC));
            }
            for (var other : List.of(CMSAlgorithm.DES_EDE3_CBC, CMSAlgorithm.CAMELLIA256_CBC, CMSAlgorithm.AES256_GCM)) {
                assertThat(p.contentDecryption(new AlgorithmIdentifier(other))).as(choice + " " + other)
                        .contains(p.bouncyCastle());
            }
        }
    }

    @Test
    void correttoIsNeverRegisteredJvmWide() {
        PrimitiveProviders.select(CryptoProviders.ACCP);
        PrimitiveProviders.select(CryptoProviders.AUTO);
        assertThat(Security.getProvider("AmazonCorrettoCryptoProvider")).isNull();
        assertThat(Security.getProvider("BC")).isNull();
    }

    @Test
    void configValuesAreNamedAndABadOneSaysWhatIsExpected() {
        assertThat(CryptoProviders.fromName(" ACCP ")).isEqualTo(CryptoProviders.ACCP);
        assertThatThrownBy(() -> CryptoProviders.fromName("openssl"))
                .hasMessage("expected auto, jdk, bc or accp, got 'openssl'");
    }
}
