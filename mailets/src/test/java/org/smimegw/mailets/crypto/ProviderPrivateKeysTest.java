package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;

import org.junit.jupiter.api.Test;

class ProviderPrivateKeysTest {

    @Test
    void aKeyIsTranslatedIntoTheProvidersFormOnceAndUsedAsItIsWhereTheProviderCannot() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        PrimitiveProviders providers = PrimitiveProviders.select(CryptoProviders.BC);

        ProviderPrivateKeys bc = new ProviderPrivateKeys(providers.bouncyCastle());
        PrivateKey own = bc.of(keys.getPrivate());
        assertThat(own).isNotSameAs(keys.getPrivate()).isEqualTo(keys.getPrivate());
        assertThat(own.getClass().getName()).startsWith("org.bouncycastle.");
        assertThat(bc.of(keys.getPrivate())).isSameAs(own);

        Provider none = new Provider("none", "1", "no key factories") {
        };
        assertThat(new ProviderPrivateKeys(none).of(keys.getPrivate())).isSameAs(keys.getPrivate());
    }
}
