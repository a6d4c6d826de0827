package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordering rules shared by the stores: which key signs, which keys decrypt, which certificate comes first. */
public final class KeySelection {

    private KeySelection() {
    }

    /** The newest key valid at {@code now} whose certificate allows signing (digitalSignature or nonRepudiation). */
    public static Optional<UserKey> signingKey(List<UserKey> keys, Instant now) {
        return keys.stream()
                .filter(k -> Certificates.isValidAt(k.certificate(), now))
                .filter(k -> allows(k.certificate(), 0) || allows(k.certificate(), 1))
                .max(Comparator.comparing(k -> k.certificate().getNotBefore()));
    }

    /** Keys whose certificate allows keyEncipherment or keyAgreement: currently valid first, then newest first. */
    public static List<UserKey> decryptionKeys(List<UserKey> keys, Instant now) {
        List<UserKey> result = new ArrayList<>(keys.stream()
                .filter(k -> allows(k.certificate(), 2) || allows(k.certificate(), 4))
                .toList());
        result.sort(Comparator.<UserKey, Boolean>comparing(k -> !Certificates.isValidAt(k.certificate(), now))
                .thenComparing(k -> k.certificate().getNotBefore(), Comparator.reverseOrder()));
        return result;
    }

    /**
     * Merges duplicates (same SHA-256: {@link PublishedCertificate#mergedWith}, so the newest capabilities seen for a
     * certificate apply wherever it came from, the first occurrence's source is kept) and orders certificates for
     * encryption: currently valid first, then newest notBefore, then most recently seen.
     */
    public static List<PublishedCertificate> newestFirst(List<PublishedCertificate> certificates, Instant now) {
        // X509Certificate equality is equality of the DER encoding: the same as the same SHA-256 fingerprint, without
        // hashing every certificate on every lookup
        Map<X509Certificate, PublishedCertificate> distinct = new LinkedHashMap<>();
        for (PublishedCertificate p : certificates) {
            distinct.merge(p.certificate(), p, PublishedCertificate::mergedWith);
        }
        List<PublishedCertificate> result = new ArrayList<>(distinct.values());
        result.sort(Comparator.<PublishedCertificate, Boolean>comparing(p -> !Certificates.isValidAt(p.certificate(), now))
                .thenComparing(p -> p.certificate().getNotBefore(), Comparator.reverseOrder())
                .thenComparing(p -> p.seen() == null ? Instant.EPOCH : p.seen(), Comparator.reverseOrder()));
        return result;
    }

    /** Whether key usage bit {@code bit} is set, or the certificate has no key usage extension at all. */
    static boolean allows(X509Certificate certificate, int bit) {
        boolean[] ku = certificate.getKeyUsage();
        return ku == null || (ku.length > bit && ku[bit]);
    }
}
