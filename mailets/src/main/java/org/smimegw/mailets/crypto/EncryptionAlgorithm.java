package org.smimegw.mailets.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * Content-encryption algorithms, the one type the policy and the crypto classes share: Exchange's spelling (the
 * values of policy.yaml and {@code policy explain}), the name in mailet parameters and verdicts ({@code AES-256-CBC}),
 * the CMS OID (Bouncy Castle's {@link CMSAlgorithm}), Exchange's OWA ALG_ID and a strength rank (bigger key first,
 * authenticated before unauthenticated at equal key size). This enum and {@link DigestAlgorithm} are the one place
 * where algorithm names and OIDs are mapped.
 *
 * <p>Strong: the AES family (AES-128 and up), the only ones the gateway produces ({@link #producible()}); CBC modes go
 * in EnvelopedData, GCM modes in AuthEnvelopedData (RFC 5083/5084). Weak (legacy, refused by policy unless
 * {@code AllowWeakAlgorithms: true}, recognised when reading): TripleDES, DES and the RC2 variants, spelled as
 * Exchange's {@code EncryptionSMIMEAlgorithmType} spells them.
 */
public enum EncryptionAlgorithm {
    RC240bit("RC240bit", "RC2-40-CBC", CMSAlgorithm.RC2_CBC, 40, 10, false, "6602:40"),
    DES("DES", "DES-CBC", CMSAlgorithm.DES_CBC, 56, 20, false, "6601"),
    RC264bit("RC264bit", "RC2-64-CBC", CMSAlgorithm.RC2_CBC, 64, 30, false, "6602:64"),
    RC2128bit("RC2128bit", "RC2-128-CBC", CMSAlgorithm.RC2_CBC, 128, 40, false, "6602:128"),
    TripleDES("TripleDES", "DES-EDE3-CBC", CMSAlgorithm.DES_EDE3_CBC, 168, 50, false, "6603"),
    AES128("AES128", "AES-128-CBC", CMSAlgorithm.AES128_CBC, 128, 100, false, "660E"),
    AES128GCM("AES128GCM", "AES-128-GCM", CMSAlgorithm.AES128_GCM, 128, 110, true, null),
    AES192("AES192", "AES-192-CBC", CMSAlgorithm.AES192_CBC, 192, 120, false, "660F"),
    AES256("AES256", "AES-256-CBC", CMSAlgorithm.AES256_CBC, 256, 130, false, "6610"),
    AES256GCM("AES256GCM", "AES-256-GCM", CMSAlgorithm.AES256_GCM, 256, 140, true, null);

    private final String policyName;
    private final String displayName;
    private final ASN1ObjectIdentifier oid;
    private final int keyBits;
    private final int rank;
    private final boolean authenticated;
    private final String exchangeAlgId;

    EncryptionAlgorithm(String policyName, String displayName, ASN1ObjectIdentifier oid, int keyBits, int rank,
                        boolean authenticated, String exchangeAlgId) {
        this.policyName = policyName;
        this.displayName = displayName;
        this.oid = oid;
        this.keyBits = keyBits;
        this.rank = rank;
        this.authenticated = authenticated;
        this.exchangeAlgId = exchangeAlgId;
    }

    /** The name used in policy.yaml and {@code policy explain} (Exchange's spelling), e.g. {@code AES256}. */
    public String policyName() {
        return policyName;
    }

    /** The name in mailet parameters, attributes and X-SMIME-* headers, e.g. {@code AES-256-CBC}. */
    public String displayName() {
        return displayName;
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

    /** Whether the gateway encrypts with it (the AES family); legacy algorithms are only recognised. */
    public boolean producible() {
        return isStrong();
    }

    public boolean isStrongerThan(EncryptionAlgorithm other) {
        return rank > other.rank;
    }

    public static EncryptionAlgorithm stronger(EncryptionAlgorithm a, EncryptionAlgorithm b) {
        return b.isStrongerThan(a) ? b : a;
    }

    /** The algorithms the gateway produces, strongest first. */
    public static List<EncryptionAlgorithm> producibleStrongestFirst() {
        List<EncryptionAlgorithm> out = new ArrayList<>(Arrays.stream(values()).filter(EncryptionAlgorithm::producible)
                .toList());
        out.sort((a, b) -> Integer.compare(b.rank, a.rank));
        return List.copyOf(out);
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

    /** A display name ({@code AES-256-GCM}) or policy name ({@code AES256GCM}) in any case, or empty. */
    public static Optional<EncryptionAlgorithm> byName(String name) {
        String n = compact(name);
        for (EncryptionAlgorithm a : values()) {
            if (compact(a.displayName).equals(n) || compact(a.policyName).equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a mailet parameter such as {@code AES-256-CBC}, {@code aes256-gcm}, {@code AES_128_GCM} or Exchange's
     * {@code AES256}: only the algorithms the gateway produces.
     */
    public static EncryptionAlgorithm fromName(String name) {
        Optional<EncryptionAlgorithm> found = byName(name);
        if (found.isPresent() && found.get().producible()) {
            return found.get();
        }
        throw new IllegalArgumentException((found.isPresent() ? "the gateway does not encrypt with legacy "
                : "unknown content encryption algorithm ") + "'" + name + "', expected one of "
                + producibleStrongestFirst().stream().map(EncryptionAlgorithm::displayName).toList());
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

    /** The one algorithm with this OID and key size (the key size only matters for RC2), or empty. */
    public static Optional<EncryptionAlgorithm> byOid(String dottedOid, int keyBits) {
        List<EncryptionAlgorithm> found = byOid(dottedOid);
        return found.size() == 1 ? Optional.of(found.get(0))
                : found.stream().filter(a -> a.keyBits == keyBits).findFirst();
    }

    /**
     * Whether a content-encryption OID is an authenticated (AEAD) mode, whose tag shows the content unaltered: AES-GCM
     * and AES-CCM (RFC 5084) and ChaCha20-Poly1305 (RFC 8103), also those the gateway only reads. CBC and the legacy
     * algorithms are malleable.
     */
    public static boolean isAuthenticatedEncryption(String dottedOid) {
        return AEAD_OIDS.contains(dottedOid);
    }

    private static final Set<String> AEAD_OIDS = Set.of(CMSAlgorithm.AES128_GCM.getId(),
            CMSAlgorithm.AES192_GCM.getId(), CMSAlgorithm.AES256_GCM.getId(), CMSAlgorithm.AES128_CCM.getId(),
            CMSAlgorithm.AES192_CCM.getId(), CMSAlgorithm.AES256_CCM.getId(), CMSAlgorithm.ChaCha20Poly1305.getId());

    private static String compact(String name) {
        return name.trim().toUpperCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    @Override
    public String toString() {
        return policyName;
    }
}
