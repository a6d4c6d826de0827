package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;

/** Validates certificates against the trust collection. Safe for concurrent use. */
public interface CertificateValidator {

    /**
     * Checks the PKIX path to a trust anchor (through the collection's intermediates and {@code supplied}, e.g.
     * certificates that came with a signature), key usage and extended key usage for {@code purpose}, that
     * {@code address} (when not null) is in the certificate, validity at {@code at}, and revocation.
     */
    ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> supplied, Purpose purpose,
                              String address, Instant at);
}
