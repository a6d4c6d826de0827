package org.smimegw.mailets.crypto;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * Signature digest algorithms, the one type the policy and the crypto classes share: Exchange's spelling (the values
 * of policy.yaml and {@code policy explain}, also the prefix of JCA signature names such as {@code SHA384withRSA}),
 * the JCA digest name used in mailet parameters and verdicts ({@code SHA-384}), the digest OID (Bouncy Castle's
 * {@link CMSAlgorithm}), Exchange's OWA ALG_ID and a strength rank. Strong: SHA-256 and up, the only ones the
 * gateway signs with ({@link #producible()}); SHA1 and MD5 are legacy, refused by policy unless
 * {@code AllowWeakAlgorithms: true}, recognised when verifying.
 */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", CMSAlgorithm.MD5, 10, "8003"),
    SHA1("SHA1", "SHA-1", CMSAlgorithm.SHA1, 20, "8004"),
    SHA256("SHA256", "SHA-256", CMSAlgorithm.SHA256, 100, "800C"),
    SHA384("SHA384", "SHA-384", CMSAlgorithm.SHA384, 110, "800D"),
    SHA512("SHA512", "SHA-512", CMSAlgorithm.SHA512, 120, "800E");

    private final String policyName;
    private final String displayName;
    private final ASN1ObjectIdentifier oid;
    private final int rank;
    private final String exchangeAlgId;

    DigestAlgorithm(String policyName, String displayName, ASN1ObjectIdentifier oid, int rank, String exchangeAlgId) {
        this.policyName = policyName;
        this.displayName = displayName;
        this.oid = oid;
        this.rank = rank;
        this.exchangeAlgId = exchangeAlgId;
    }

    /** The name used in policy.yaml and {@code policy explain} (Exchange's spelling), e.g. {@code SHA384}. */
    public String policyName() {
        return policyName;
    }

    /** The JCA MessageDigest name, used in mailet parameters and verdicts, e.g. {@code SHA-384}. */
    public String displayName() {
        return displayName;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** Prefix of JCA signature names, e.g. {@code SHA384} in {@code SHA384withRSA} (Exchange's spelling). */
    public String jcaPrefix() {
        return policyName;
    }

    /** Exchange's OWA ALG_ID ({@code Set-SmimeConfig -OWASigningAlgorithms}). */
    public String exchangeAlgId() {
        return exchangeAlgId;
    }

    public boolean isStrong() {
        return rank >= SHA256.rank;
    }

    public boolean isWeak() {
        return !isStrong();
    }

    /** Whether the gateway signs with it (SHA-256 and up); legacy digests are only recognised. */
    public boolean producible() {
        return isStrong();
    }

    public boolean isStrongerThan(DigestAlgorithm other) {
        return rank > other.rank;
    }

    public static DigestAlgorithm stronger(DigestAlgorithm a, DigestAlgorithm b) {
        return b.isStrongerThan(a) ? b : a;
    }

    /** Exact (case-sensitive) policy name, as written in policy.yaml. */
    public static Optional<DigestAlgorithm> byPolicyName(String name) {
        for (DigestAlgorithm d : values()) {
            if (d.policyName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Any spelling in any case: {@code SHA384}, {@code sha-384}, {@code SHA_384}; for hints and parameters. */
    public static Optional<DigestAlgorithm> byNameIgnoringCase(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (DigestAlgorithm d : values()) {
            if (d.policyName.equals(n)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Parses a mailet parameter ({@code SHA-256}, {@code sha384}, {@code SHA_512}): only digests the gateway signs with. */
    public static DigestAlgorithm fromName(String name) {
        Optional<DigestAlgorithm> found = byNameIgnoringCase(name);
        if (found.isPresent() && found.get().producible()) {
            return found.get();
        }
        throw new IllegalArgumentException((found.isPresent() ? "the gateway does not sign with legacy digest '"
                : "unknown digest '") + name + "', expected one of "
                + Arrays.stream(values()).filter(DigestAlgorithm::producible).map(DigestAlgorithm::displayName).toList());
    }

    public static Optional<DigestAlgorithm> byOid(String dottedOid) {
        for (DigestAlgorithm d : values()) {
            if (d.oid.getId().equals(dottedOid)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return policyName;
    }
}
