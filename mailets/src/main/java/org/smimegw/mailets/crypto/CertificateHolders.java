package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Bouncy Castle's parsed form of the store's certificates, made once per certificate instead of once per message
 * (the decryptor matches each recipient info against the certificates of the keys it holds). A holder is only another
 * form of the same encoding; nothing about the key or its validity is kept. Bounded: past {@code maxEntries} the
 * cache starts over. Safe for concurrent use.
 */
final class CertificateHolders {

    static final int DEFAULT_MAX_ENTRIES = 1_000;

    private final Map<X509Certificate, X509CertificateHolder> holders = new ConcurrentHashMap<>();
    private final int maxEntries;

    CertificateHolders(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    CertificateHolders() {
        this(DEFAULT_MAX_ENTRIES);
    }

    X509CertificateHolder holder(X509Certificate certificate) throws CertificateEncodingException, IOException {
        X509CertificateHolder known = holders.get(certificate);
        if (known != null) {
            return known;
        }
        X509CertificateHolder holder = new X509CertificateHolder(certificate.getEncoded());
        if (holders.size() >= maxEntries) {
            holders.clear();
        }
        holders.put(certificate, holder);
        return holder;
    }
}
