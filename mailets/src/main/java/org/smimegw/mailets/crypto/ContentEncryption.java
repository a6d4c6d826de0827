package org.smimegw.mailets.crypto;

import java.util.Arrays;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * Content-encryption algorithms the gateway produces and reads. CBC modes go in EnvelopedData, GCM modes in
 * AuthEnvelopedData (RFC 5083/5084). {@link #strength()} orders them for negotiation: bigger key first, and
 * authenticated before unauthenticated at equal key size.
 */
public enum ContentEncryption {
    AES_128_CBC("AES-128-CBC", CMSAlgorithm.AES128_CBC, 128, false, 10),
    AES_192_CBC("AES-192-CBC", CMSAlgorithm.AES192_CBC, 192, false, 20),
    AES_256_CBC("AES-256-CBC", CMSAlgorithm.AES256_CBC, 256, false, 30),
    AES_128_GCM("AES-128-GCM", CMSAlgorithm.AES128_GCM, 128, true, 15),
    AES_256_GCM("AES-256-GCM", CMSAlgorithm.AES256_GCM, 256, true, 35);

    private final String displayName;
    private final ASN1ObjectIdentifier oid;
    private final int keySize;
    private final boolean authenticated;
    private final int strength;

    ContentEncryption(String displayName, ASN1ObjectIdentifier oid, int keySize, boolean authenticated, int strength) {
        this.displayName = displayName;
        this.oid = oid;
        this.keySize = keySize;
        this.authenticated = authenticated;
        this.strength = strength;
    }

    public String displayName() {
        return displayName;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    public String oidString() {
        return oid.getId();
    }

    public int keySize() {
        return keySize;
    }

    /** True for AEAD modes, which are carried in AuthEnvelopedData. */
    public boolean authenticated() {
        return authenticated;
    }

    public int strength() {
        return strength;
    }

    /** Parses a configuration name such as {@code AES-256-CBC}, {@code aes256-gcm} or {@code AES_128_GCM}. */
    public static ContentEncryption fromName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (ContentEncryption c : values()) {
            if (c.displayName.replace("-", "").equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown content encryption algorithm '" + name + "', expected one of "
                + Arrays.stream(values()).map(ContentEncryption::displayName).toList());
    }

    /** The algorithm with this OID, or null when it is none of ours. */
    public static ContentEncryption fromOid(String oid) {
        for (ContentEncryption c : values()) {
            if (c.oidString().equals(oid)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
