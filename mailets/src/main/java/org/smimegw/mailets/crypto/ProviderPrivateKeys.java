package org.smimegw.mailets.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A provider's own form of the software private keys the decryptor uses. Handed a JDK key, ACCP translates it into
 * its native form (and checks it) at every {@code Cipher.init}: for RSA-2048 about a third of the cost of the
 * private-key operation itself, per message. The translated form is kept only as long as the key object it was made
 * from is held by someone else (the certificate store's snapshot): weak keys, so a key the store drops is dropped
 * here too, and nothing is kept for a key the store no longer has. Where the provider cannot translate a key, the
 * key is used as it is (the provider then translates it itself, or says why it cannot). Safe for concurrent use.
 */
final class ProviderPrivateKeys {

    private final Provider provider;
    private final Map<PrivateKey, PrivateKey> translated = Collections.synchronizedMap(new WeakHashMap<>());

    ProviderPrivateKeys(Provider provider) {
        this.provider = provider;
    }

    /** {@code key} in the provider's own form. */
    PrivateKey of(PrivateKey key) {
        PrivateKey known = translated.get(key);
        if (known != null) {
            return known;
        }
        PrivateKey own;
        try {
            if (!(KeyFactory.getInstance(key.getAlgorithm(), provider).translateKey(key) instanceof PrivateKey p)) {
                return key;
            }
            own = p;
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
        translated.put(key, own);
        return own;
    }
}
