package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A signer's certificate taken from a verified, trusted incoming signature, with the capabilities it announced. */
public record HarvestedCertificate(String address, X509Certificate certificate, List<X509Certificate> chain,
                                   SmimeCapabilities capabilities, Instant seen) {
    public HarvestedCertificate {
        chain = List.copyOf(chain);
        capabilities = capabilities == null ? SmimeCapabilities.UNKNOWN : capabilities;
    }
}
