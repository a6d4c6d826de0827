package org.smimegw.mailets.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** How decisions and explain name a certificate: subject, serial and SHA-256 fingerprint (never key material). */
public record CertificateSummary(String subject, String serial, String sha256) {

    public static CertificateSummary of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new CertificateSummary(org.bouncycastle.asn1.x500.X500Name.getInstance(
                            certificate.getSubjectX500Principal().getEncoded()).toString(),
                    certificate.getSerialNumber().toString(16), HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }

    @Override
    public String toString() {
        return subject + ", serial " + serial + ", SHA-256 " + sha256;
    }
}
