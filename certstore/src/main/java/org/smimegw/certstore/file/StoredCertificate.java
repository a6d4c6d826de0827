package org.smimegw.certstore.file;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.smimegw.certstore.SmimeCapabilities;

/**
 * One certificate held by the embedded store, for listings: what it is, the addresses it is for, when it was
 * imported or last seen, and the file holding it.
 */
public record StoredCertificate(Kind kind, X509Certificate certificate, List<X509Certificate> chain,
                                Set<String> addresses, Instant added, SmimeCapabilities capabilities, String fingerprint) {

    public enum Kind {
        /** A trust anchor (self-signed CA) of the trust collection. */
        ROOT,
        /** An intermediate CA of the trust collection. */
        INTERMEDIATE,
        /** A user's certificate imported for encryption to that user. */
        USER,
        /** A user's certificate whose private key the store holds (signing, decryption). */
        USER_KEY,
        /** A certificate harvested from a verified incoming signature. */
        HARVESTED;

        /** How listings name it: root, intermediate, user, user+key, harvested. */
        public String label() {
            return this == USER_KEY ? "user+key" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public StoredCertificate {
        chain = List.copyOf(chain);
        addresses = Set.copyOf(addresses);
    }
}
