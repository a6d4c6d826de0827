package org.smimegw.mailets.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * Content-encryption algorithms the policy can name, with Exchange's spelling, the CMS OID (from Bouncy Castle's
 * {@link CMSAlgorithm}), Exchange's OWA ALG_ID and a strength rank. This enum and {@link DigestAlgorithm} are the
 * one place where algorithm names and OIDs are mapped.
 *
 * <p>Strong: the AES family (AES-128 and up). Weak (legacy, refused unless {@code AllowWeakAlgorithms: true}):
 * TripleDES, DES and the RC2 variants, spelled as Exchange's {@code EncryptionSMIMEAlgorithmType} spells them.
 */
public enum EncryptionAlgorithm {
    RC240bit("RC240bit", CMSAlgorithm.RC2_CBC, 40, 10, false, "6602:40"),
    DES("DES", CMSAlgorithm.DES_CBC, 56, 20, false, "6601"),
    RC264bit("RC264bit", CMSAlgorithm.RC2_CBC, 64, 30, false, "6602:64"),
    RC2128bit("RC2128bit", CMSAlgorithm.RC2_CBC, 128, 40, false, "6602:128"),
    TripleDES("TripleDES", CMSAlgorithm.DES_EDE3_CBC, 168, 50, false, "6603"),
    AES128("AES128", CMSAlgorithm.AES128_CBC, 128, 100, false, "660E"),
    AES128GCM("AES128GCM", CMSAlgorithm.AES128_GCM, 128, 110, true, null),
    AES192("AES192", CMSAlgorithm.AES192_CBC, 192, 120, false, "660F"),
    AES256("AES256", CMSAlgorithm.AES256_CBC, 256, 130, false, "6610"),
    AES256GCM("AES256GCM", CMSAlgorithm.AES256_GCM, 256, 140, true, null);

    private final String policyName;
    private final ASN1ObjectIdentifier oid;
    private final int keyBits;
    private final int rank;
    private final boolean authenticated;
    private final String exchangeAlgId;

    EncryptionAlgorithm(String policyName, ASN1ObjectIdentifier oid, int keyBits, int rank, boolean authenticated,
                        String exchangeAlgId) {
        this.policyName = policyName;
        this.oid = oid;
        this.keyBits = keyBits;
        this.rank = rank;
        this.authenticated = authenticated;
        this.exchangeAlgId = exchangeAlgId;
    }

    /** The name used in policy.yaml (Exchange's spelling). */
    public String policyName() {
        return policyName;
    }

    /** The CMS content-encryption OID; for RC2 the key size travels in the parameters ({@link #keyBits()}). */
    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    public int keyBits() {
        return keyBits;
    }

    /** AES-GCM: produced as CMS AuthEnvelopedData (RFC 5083/5084) rather than EnvelopedData. */
    public boolean authenticated() {
        return authenticated;
    }

    /** Exchange's OWA ALG_ID ({@code Set-SmimeConfig -OWAEncryptionAlgorithms}), empty for GCM which has none. */
    public Optional<String> exchangeAlgId() {
        return Optional.ofNullable(exchangeAlgId);
    }

    /** AES-128 and up: the set OnlyStrongAlgorithmNegotiation never drops below. */
    public boolean isStrong() {
        return rank >= AES128.rank;
    }

    public boolean isWeak() {
        return !isStrong();
    }

    public boolean isStrongerThan(EncryptionAlgorithm other) {
        return rank > other.rank;
    }

    public static EncryptionAlgorithm stronger(EncryptionAlgorithm a, EncryptionAlgorithm b) {
        return b.isStrongerThan(a) ? b : a;
    }

    /** Exact (case-sensitive) policy name, as written in policy.yaml. */
    public static Optional<EncryptionAlgorithm> byPolicyName(String name) {
        for (EncryptionAlgorithm a : values()) {
            if (a.policyName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** A policy name differing only in case, for "did you mean" hints. */
    static Optional<EncryptionAlgorithm> byPolicyNameIgnoringCase(String name) {
        for (EncryptionAlgorithm a : values()) {
            if (a.policyName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The algorithms a dotted OID stands for. RC2's OID names every RC2 key size (the size is a parameter that the
     * SMIMECapabilities OID list does not keep), so it maps to all three RC2 variants; other OIDs map to one.
     */
    public static List<EncryptionAlgorithm> byOid(String dottedOid) {
        List<EncryptionAlgorithm> found = new ArrayList<>();
        for (EncryptionAlgorithm a : values()) {
            if (a.oid.getId().equals(dottedOid)) {
                found.add(a);
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return policyName;
    }
}
