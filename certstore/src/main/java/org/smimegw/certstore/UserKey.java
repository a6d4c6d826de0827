package org.smimegw.certstore;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key the gateway holds for an internal user, with its certificate and the chain up to (not always
 * including) the root. Used to sign for the user or to decrypt mail sent to the user.
 */
public record UserKey(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain,
                      KeyStorage storage) {
    public UserKey {
        chain = List.copyOf(chain);
    }
}
