package org.smimegw.mailets.crypto;

import java.util.Locale;

/** Message digests for signatures; SHA-1 and MD5 are deliberately absent. */
public enum DigestAlgorithm {
    SHA_256("SHA-256", "SHA256"),
    SHA_384("SHA-384", "SHA384"),
    SHA_512("SHA-512", "SHA512");

    private final String displayName;
    private final String jcaPrefix;

    DigestAlgorithm(String displayName, String jcaPrefix) {
        this.displayName = displayName;
        this.jcaPrefix = jcaPrefix;
    }

    public String displayName() {
        return displayName;
    }

    /** Prefix of JCA signature names, e.g. {@code SHA256} in {@code SHA256withRSA}. */
    public String jcaPrefix() {
        return jcaPrefix;
    }

    public static DigestAlgorithm fromName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (DigestAlgorithm d : values()) {
            if (d.jcaPrefix.equals(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown digest '" + name + "', expected SHA-256, SHA-384 or SHA-512");
    }
}
