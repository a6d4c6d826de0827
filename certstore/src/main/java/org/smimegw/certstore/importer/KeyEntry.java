package org.smimegw.certstore.importer;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key read from a file, with its certificate and whatever chain came with it. */
public record KeyEntry(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {
    public KeyEntry {
        chain = List.copyOf(chain);
    }

    @Override
    public String toString() {
        return "KeyEntry[" + certificate.getSubjectX500Principal() + "]";
    }
}
