package org.smimegw.mailets.policy;

import java.security.cert.X509Certificate;
import java.util.HexFormat;

import org.smimegw.certstore.Certificates;

/**
 * What a decision saw of a certificate, and how decisions and explain name it: subject (readable, as the CLI prints
 * it), serial and SHA-256 fingerprint (never key material).
 */
public record CertificateSummary(String subject, String serial, String sha256) {

    public static CertificateSummary of(X509Certificate certificate) {
        HexFormat hex = HexFormat.of();
        return new CertificateSummary(Certificates.subject(certificate), certificate.getSerialNumber().toString(16),
                HexFormat.ofDelimiter(":").withUpperCase().formatHex(hex.parseHex(Certificates.sha256(certificate))));
    }

    @Override
    public String toString() {
        return subject + ", serial " + serial + ", SHA-256 " + sha256;
    }
}
