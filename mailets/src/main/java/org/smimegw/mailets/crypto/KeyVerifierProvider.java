package org.smimegw.mailets.crypto;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifierProvider;

/**
 * Content verifiers for one public key, with no certificate of their own (the signer's certificate is validated
 * separately): only {@link #get} to write.
 */
@FunctionalInterface
interface KeyVerifierProvider extends ContentVerifierProvider {
    @Override
    default boolean hasAssociatedCertificate() {
        return false;
    }

    @Override
    default X509CertificateHolder getAssociatedCertificate() {
        return null;
    }
}
