package org.smimegw.certstore;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** The virtual certificate collection an admin imported: trust anchors, intermediates, and CRLs. Immutable snapshot. */
public record TrustCollection(List<X509Certificate> roots, List<X509Certificate> intermediates, List<X509CRL> crls) {
    public static final TrustCollection EMPTY = new TrustCollection(List.of(), List.of(), List.of());

    public TrustCollection {
        roots = List.copyOf(roots);
        intermediates = List.copyOf(intermediates);
        crls = List.copyOf(crls);
    }
}
