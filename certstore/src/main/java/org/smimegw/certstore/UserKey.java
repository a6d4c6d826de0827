package org.smimegw.certstore;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A private key the gateway holds for an internal user, with its certificate and the chain up to (not always
 * including) the root. Used to sign for the user or to decrypt mail sent to the user.
 *
 * @param provider the JCA provider that must do the operations with {@code privateKey} (a PKCS#11 token's provider
 *                 for {@link KeyStorage#HARDWARE} keys, whose private key is only a handle); {@code null} for a
 *                 software key, which any provider can use
 */
public record UserKey(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain,
                      KeyStorage storage, Provider provider) {
    public UserKey {
        chain = List.copyOf(chain);
    }

    /** A software key (no provider of its own). */
    public UserKey(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain,
                   KeyStorage storage) {
        this(privateKey, certificate, chain, storage, null);
    }

    /** The provider bound to this key (a token's), or empty when any provider can use it. */
    public Optional<Provider> keyProvider() {
        return Optional.ofNullable(provider);
    }
}
