package org.smimegw.mailets.testing;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.validation.PkixCertificateValidator;

/** The certstore's real validator over a fixed trust collection, with the default (soft-fail) revocation checks. */
public final class TestValidators {

    private TestValidators() {
    }

    public static CertificateValidator pkix(TrustCollection trust) {
        return new PkixCertificateValidator(() -> trust, CertStoreConfig.Revocation.defaults());
    }
}
