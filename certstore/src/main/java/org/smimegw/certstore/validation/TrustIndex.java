package org.smimegw.certstore.validation;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.x500.X500Principal;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.TrustCollection;

/**
 * What the validator derives once per {@link TrustCollection} snapshot: certificates by subject, the anchors'
 * fingerprints, CRLs by issuer, and memoised signature checks. Immutable apart from the memo maps (concurrent).
 */
final class TrustIndex {

    final TrustCollection source;
    private final Map<X500Principal, List<X509Certificate>> bySubject = new HashMap<>();
    private final Set<String> anchors = new HashSet<>();
    private final Map<X500Principal, List<X509CRL>> crlsByIssuer = new HashMap<>();
    private final Map<String, Boolean> signatureChecks = new ConcurrentHashMap<>();

    TrustIndex(TrustCollection source) {
        this.source = source;
        for (X509Certificate root : source.roots()) {
            bySubject.computeIfAbsent(root.getSubjectX500Principal(), k -> new ArrayList<>()).add(root);
            anchors.add(Certificates.sha256(root));
        }
        for (X509Certificate c : source.intermediates()) {
            bySubject.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(c);
        }
        for (X509CRL crl : source.crls()) {
            crlsByIssuer.computeIfAbsent(crl.getIssuerX500Principal(), k -> new ArrayList<>()).add(crl);
        }
    }

    List<X509Certificate> bySubject(X500Principal subject) {
        return bySubject.getOrDefault(subject, List.of());
    }

    boolean isAnchor(X509Certificate certificate) {
        return anchors.contains(Certificates.sha256(certificate));
    }

    List<X509CRL> crls(X500Principal issuer) {
        return crlsByIssuer.getOrDefault(issuer, List.of());
    }

    /** Whether {@code child} is signed by {@code issuer}'s key (memoised per pair). */
    boolean signedBy(X509Certificate child, X509Certificate issuer) {
        String key = Certificates.sha256(child) + Certificates.sha256(issuer);
        return signatureChecks.computeIfAbsent(key, k -> {
            try {
                child.verify(issuer.getPublicKey());
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Whether {@code crl} is signed by {@code issuer}'s key (memoised per pair). */
    boolean crlSignedBy(X509CRL crl, X509Certificate issuer) {
        String key;
        try {
            key = Certificates.sha256(crl.getEncoded()) + Certificates.sha256(issuer);
        } catch (Exception e) {
            return false;
        }
        return signatureChecks.computeIfAbsent(key, k -> {
            try {
                crl.verify(issuer.getPublicKey());
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
