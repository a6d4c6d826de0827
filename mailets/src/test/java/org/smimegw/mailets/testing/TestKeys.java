package org.smimegw.mailets.testing;

import java.util.List;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;

/** Keys and trust from the test PKI in the shapes the crypto classes take. */
public final class TestKeys {
    private TestKeys() {
    }

    /** The issued key as a software key of its owner. */
    public static UserKey userKey(TestPki.Issued issued) {
        return new UserKey(issued.privateKey(), issued.certificate(), issued.chain(), KeyStorage.SOFTWARE);
    }

    /** A trust collection with the PKI's root as anchor and its intermediate. */
    public static TrustCollection trust(TestPki pki) {
        return new TrustCollection(List.of(pki.rootCertificate()), List.of(pki.intermediate().certificate()), List.of());
    }
}
