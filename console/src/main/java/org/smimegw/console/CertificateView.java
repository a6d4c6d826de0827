package org.smimegw.console;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.smimegw.certstore.Certificates;

/**
 * A certificate as the API shows it: never key material.
 *
 * @param kind        root, intermediate, user, user+key, harvested, ldap, token, ...
 * @param daysLeft    whole days until {@code notAfter} (negative once expired)
 * @param revocation  {@code revoked}, {@code not revoked} (a CRL of its issuer is in the trust collection) or
 *                    {@code no CRL}
 * @param source      where it came from (file store, the directory, harvested from mail, the token)
 */
public record CertificateView(String kind, String subject, String issuer, String serial, String notBefore,
                              String notAfter, long daysLeft, List<String> addresses, String fingerprint, String key,
                              String revocation, String source) {

    static CertificateView of(String kind, X509Certificate c, Collection<String> addresses, String source,
                              List<X509CRL> crls, Instant now) {
        return new CertificateView(kind, Certificates.subject(c), Certificates.issuer(c),
                c.getSerialNumber().toString(16), c.getNotBefore().toInstant().toString(),
                c.getNotAfter().toInstant().toString(), daysLeft(c, now), List.copyOf(addresses),
                Certificates.sha256(c), Certificates.keyDescription(c.getPublicKey()), revocation(c, crls), source);
    }

    static CertificateView of(String kind, X509Certificate c, String source, List<X509CRL> crls, Instant now) {
        return of(kind, c, Certificates.emailAddresses(c), source, crls, now);
    }

    static long daysLeft(X509Certificate c, Instant now) {
        return Math.floorDiv(Duration.between(now, c.getNotAfter().toInstant()).toHours(), 24);
    }

    /** From the trust collection's CRLs only (no network): whether a CRL of the issuer lists it. */
    static String revocation(X509Certificate c, List<X509CRL> crls) {
        boolean covered = false;
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(c.getIssuerX500Principal())) {
                covered = true;
                if (crl.isRevoked(c)) {
                    return "revoked";
                }
            }
        }
        return covered ? "not revoked" : "no CRL";
    }
}
