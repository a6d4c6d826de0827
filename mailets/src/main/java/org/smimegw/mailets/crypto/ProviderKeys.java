package org.smimegw.mailets.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One provider's own form of the software keys handed to it, translated once instead of per message. Handed a JDK
 * key, ACCP translates it into its native form (and checks it) at every {@code Cipher.init} or
 * {@code Signature.initVerify}: for an RSA-2048 private key about a third of the cost of the private-key operation
 * itself. Where the provider cannot translate a key, the key is used as it is (the provider then translates it
 * itself, or says why it cannot). Safe for concurrent use.
 * <ul>
 * <li>Private keys (the decryptor's) are kept only as long as the key object they were made from is held by someone
 * else (the certificate store's snapshot): weak keys, so a key the store drops is dropped here too.</li>
 * <li>Public keys (of the certificates signatures carry, parsed anew per message, equal by value) are kept in a
 * {@link BoundedMemo} of {@value #MAX_PUBLIC_KEYS}.</li>
 * </ul>
 */
final class ProviderKeys {

    static final int MAX_PUBLIC_KEYS = 1_000;

    private final Provider provider;
    private final Map<PrivateKey, PrivateKey> privateKeys = Collections.synchronizedMap(new WeakHashMap<>());
    private final BoundedMemo<PublicKey, PublicKey> publicKeys = new BoundedMemo<>(MAX_PUBLIC_KEYS);

    ProviderKeys(Provider provider) {
        this.provider = provider;
    }

    /** {@code key} in the provider's own form. */
    PrivateKey of(PrivateKey key) {
        PrivateKey known = privateKeys.get(key);
        if (known != null) {
            return known;
        }
        PrivateKey own = translated(key, PrivateKey.class);
        if (own != key) { // a weak map must not hold its key strongly in a value
            privateKeys.put(key, own);
        }
        return own;
    }

    /** {@code key} in the provider's own form. */
    PublicKey of(PublicKey key) {
        return publicKeys.get(key, k -> translated(k, PublicKey.class));
    }

    private <K extends Key> K translated(K key, Class<K> type) {
        try {
            Key own = KeyFactory.getInstance(key.getAlgorithm(), provider).translateKey(key);
            return type.isInstance(own) ? type.cast(own) : key;
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }
}
