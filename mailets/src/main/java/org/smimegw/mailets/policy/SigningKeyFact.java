package org.smimegw.mailets.policy;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;

/** What the gateway knows about the sender's signing key (from {@code CertificateStore.signingKey}). */
public sealed interface SigningKeyFact {

    /** A key with a certificate valid for signing now; {@code storage} says software keystore or PKCS#11 token. */
    record Usable(CertificateSummary certificate, KeyStorage storage) implements SigningKeyFact {
        public static Usable of(UserKey key) {
            return new Usable(CertificateSummary.of(key.certificate()), key.storage());
        }
    }

    /** No key, or none with a certificate valid for signing; {@code reason} says which. */
    record Missing(String reason) implements SigningKeyFact {
    }
}
