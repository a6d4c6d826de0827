package org.smimegw.certstore.validation;

import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.smimegw.certstore.testing.TestPki;

/** An empty CRL from a test PKI's root, so the intermediate has a known revocation status. */
final class RootCrl {
    private RootCrl() {
    }

    static X509CRL emptyFrom(TestPki pki, Instant now) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(
                    new X509CertificateHolder(pki.rootCertificate().getEncoded()).getSubject(),
                    Date.from(now.minus(Duration.ofDays(1))));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
            return new JcaX509CRLConverter().getCRL(b.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(pki.root().privateKey())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
