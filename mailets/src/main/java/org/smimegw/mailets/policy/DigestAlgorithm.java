package org.smimegw.mailets.policy;

import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * Signature digest algorithms the policy can name: Exchange's spelling, the digest OID (Bouncy Castle's
 * {@link CMSAlgorithm}), the JCA name, Exchange's OWA ALG_ID and a strength rank. Strong: SHA-256 and up; SHA1 and
 * MD5 are legacy, refused unless {@code AllowWeakAlgorithms: true}.
 */
public enum DigestAlgorithm {
    MD5("MD5", CMSAlgorithm.MD5, "MD5", 10, "8003"),
    SHA1("SHA1", CMSAlgorithm.SHA1, "SHA-1", 20, "8004"),
    SHA256("SHA256", CMSAlgorithm.SHA256, "SHA-256", 100, "800C"),
    SHA384("SHA384", CMSAlgorithm.SHA384, "SHA-384", 110, "800D"),
    SHA512("SHA512", CMSAlgorithm.SHA512, "SHA-512", 120, "800E");

    private final String policyName;
    private final ASN1ObjectIdentifier oid;
    private final String jcaName;
    private final int rank;
    private final String exchangeAlgId;

    DigestAlgorithm(String policyName, ASN1ObjectIdentifier oid, String jcaName, int rank, String exchangeAlgId) {
        this.policyName = policyName;
        this.oid = oid;
        this.jcaName = jcaName;
        this.rank = rank;
        this.exchangeAlgId = exchangeAlgId;
    }

    public String policyName() {
        return policyName;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** "SHA-384": the JCA MessageDigest name; the signature name is e.g. {@code "SHA384withRSA"}. */
    public String jcaName() {
        return jcaName;
    }

    /** e.g. SHA384withRSA, SHA384withECDSA for a key algorithm "RSA" / "EC". */
    public String signatureAlgorithm(String keyAlgorithm) {
        String key = "EC".equalsIgnoreCase(keyAlgorithm) || "ECDSA".equalsIgnoreCase(keyAlgorithm) ? "ECDSA" : keyAlgorithm;
        return policyName + "with" + key;
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

    public boolean isStrongerThan(DigestAlgorithm other) {
        return rank > other.rank;
    }

    public static DigestAlgorithm stronger(DigestAlgorithm a, DigestAlgorithm b) {
        return b.isStrongerThan(a) ? b : a;
    }

    public static Optional<DigestAlgorithm> byPolicyName(String name) {
        for (DigestAlgorithm d : values()) {
            if (d.policyName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static Optional<DigestAlgorithm> byPolicyNameIgnoringCase(String name) {
        for (DigestAlgorithm d : values()) {
            if (d.policyName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT).replace("-", ""))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
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
