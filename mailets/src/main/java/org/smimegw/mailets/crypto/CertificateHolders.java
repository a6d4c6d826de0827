package org.smimegw.mailets.crypto;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * Bouncy Castle's parsed form of the store's certificates, made once per certificate instead of once per message
 * (the decryptor matches each recipient info against the certificates of the keys it holds). A holder is only another
 * form of the same encoding; nothing about the key or its validity is kept. Bounded: past {@code maxEntries} the
 * cache starts over. Safe for concurrent use.
 */
final class CertificateHolders {

    static final int DEFAULT_MAX_ENTRIES = 1_000;

    private final BoundedMemo<X509Certificate, X509CertificateHolder> holders;

    CertificateHolders(int maxEntries) {
        this.holders = new BoundedMemo<>(maxEntries);
    }

    CertificateHolders() {
        this(DEFAULT_MAX_ENTRIES);
    }

    X509CertificateHolder holder(X509Certificate certificate) throws CertificateEncodingException {
        return holders.get(certificate, JcaX509CertificateHolder::new);
    }
}
