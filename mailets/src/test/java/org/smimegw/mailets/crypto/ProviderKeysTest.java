package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;

import org.junit.jupiter.api.Test;

class ProviderKeysTest {

    @Test
    void aKeyIsTranslatedIntoTheProvidersFormOnceAndUsedAsItIsWhereTheProviderCannot() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        PrimitiveProviders providers = PrimitiveProviders.select(CryptoProviders.BC);

        ProviderKeys bc = new ProviderKeys(providers.bouncyCastle());
        PrivateKey own = bc.of(keys.getPrivate());
        assertThat(own).isNotSameAs(keys.getPrivate()).isEqualTo(keys.getPrivate());
        assertThat(own.getClass().getName()).startsWith("org.bouncycastle.");
        assertThat(bc.of(keys.getPrivate())).isSameAs(own);
        PublicKey ownPublic = bc.of(keys.getPublic());
        assertThat(ownPublic).isNotSameAs(keys.getPublic()).isEqualTo(keys.getPublic());
        assertThat(ownPublic.getClass().getName()).startsWith("org.bouncycastle.");
        assertThat(bc.of(keys.getPublic())).isSameAs(ownPublic);

        Provider none = new Provider("none", "1", "no key factories") {
        };
        assertThat(new ProviderKeys(none).of(keys.getPrivate())).isSameAs(keys.getPrivate());
        assertThat(new ProviderKeys(none).of(keys.getPublic())).isSameAs(keys.getPublic());
    }
}
