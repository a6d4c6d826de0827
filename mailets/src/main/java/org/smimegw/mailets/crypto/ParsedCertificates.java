package org.smimegw.mailets.crypto;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * The JCA form of the certificates signatures carry, converted once per distinct certificate instead of once per
 * message: Bouncy Castle's {@link JcaX509CertificateConverter} re-encodes the parsed certificate and has the JDK parse
 * it again, and the same few signers' certificates arrive message after message. Only the conversion is kept (the
 * same encoding always converts to the same certificate); nothing about trust or validity is, that stays the
 * validator's question at each use. Holders are equal when their ASN.1 structures are. Bounded: past
 * {@code maxEntries} the cache starts over. Safe for concurrent use.
 */
final class ParsedCertificates {

    static final int DEFAULT_MAX_ENTRIES = 1_000;

    private final JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    private final BoundedMemo<X509CertificateHolder, X509Certificate> converted;

    ParsedCertificates(int maxEntries) {
        this.converted = new BoundedMemo<>(maxEntries);
    }

    ParsedCertificates() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /** The certificate {@code holder} holds, as the JDK parses it; a certificate that does not parse is not kept. */
    X509Certificate certificate(X509CertificateHolder holder) throws CertificateException {
        return converted.get(holder, converter::getCertificate);
    }

    int size() {
        return converted.size();
    }
}
