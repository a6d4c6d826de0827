package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.time.Instant;

/** How a certificate is named in reports, logs and tables: never key material. */
public record CertificateInfo(String subject, String issuer, String serial, Instant notBefore, Instant notAfter,
                              String sha256, boolean ca) {

    public static CertificateInfo of(X509Certificate certificate) {
        return new CertificateInfo(Certificates.subject(certificate),
                Certificates.issuer(certificate), certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                Certificates.sha256(certificate), certificate.getBasicConstraints() >= 0);
    }

    @Override
    public String toString() {
        return "'" + subject + "' serial " + serial + " sha256 " + sha256;
    }
}
