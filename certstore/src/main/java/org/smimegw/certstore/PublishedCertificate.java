package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate published for an address: from the embedded store, the directory, or harvested from a verified
 * signature. {@code chain} holds intermediates that came with it (may be empty); {@code seen} is when it was
 * imported, looked up or harvested; {@code source} names where it came from (for logs and {@code policy explain}).
 */
public record PublishedCertificate(X509Certificate certificate, List<X509Certificate> chain,
                                   SmimeCapabilities capabilities, String source, Instant seen) {
    public PublishedCertificate {
        chain = List.copyOf(chain);
        capabilities = capabilities == null ? SmimeCapabilities.UNKNOWN : capabilities;
    }
}
