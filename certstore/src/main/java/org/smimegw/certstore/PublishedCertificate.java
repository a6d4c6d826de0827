package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate published for an address: from the embedded store, the directory, or harvested from a verified
 * signature. {@code chain} holds intermediates that came with it (may be empty); {@code seen} is when it was
 * imported, looked up or harvested; {@code source} names where it came from (for logs and {@code policy explain});
 * {@code capabilitiesSeen} is when its owner announced {@code capabilities} (the signed mail's time for harvested
 * ones, the signing time of a directory's signed blob), {@code null} when unknown or undated.
 */
public record PublishedCertificate(X509Certificate certificate, List<X509Certificate> chain,
                                   SmimeCapabilities capabilities, String source, Instant seen,
                                   Instant capabilitiesSeen) {
    public PublishedCertificate {
        chain = List.copyOf(chain);
        capabilities = capabilities == null ? SmimeCapabilities.UNKNOWN : capabilities;
        if (!capabilities.isKnown()) {
            capabilitiesSeen = null;
        }
    }

    /** Capabilities (if any) announced when the certificate was {@code seen}, e.g. harvested from signed mail. */
    public PublishedCertificate(X509Certificate certificate, List<X509Certificate> chain,
                                SmimeCapabilities capabilities, String source, Instant seen) {
        this(certificate, chain, capabilities, source, seen, seen);
    }

    /**
     * This certificate as {@code other} (the same certificate from another source or record) also has it: the
     * capabilities that apply by {@link SmimeCapabilities#replaces the newest-seen rule}, the longer chain, the later
     * time seen; the source stays this one's.
     *
     * @throws IllegalArgumentException when {@code other} is another certificate
     */
    public PublishedCertificate mergedWith(PublishedCertificate other) {
        if (!certificate.equals(other.certificate)) {
            throw new IllegalArgumentException("cannot merge two different certificates");
        }
        boolean theirs = SmimeCapabilities.replaces(other.capabilities, other.capabilitiesSeen, capabilities,
                capabilitiesSeen);
        List<X509Certificate> longer = other.chain.size() > chain.size() ? other.chain : chain;
        Instant later = seen == null || (other.seen != null && other.seen.isAfter(seen)) ? other.seen : seen;
        return new PublishedCertificate(certificate, longer, theirs ? other.capabilities : capabilities, source, later,
                theirs ? other.capabilitiesSeen : capabilitiesSeen);
    }
}
