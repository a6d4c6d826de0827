package org.smimegw.mailets.crypto;

import java.util.Locale;

/** How an RSA key signs; EC keys always sign with ECDSA. */
public enum SignatureScheme {
    /** RSASSA-PKCS1-v1_5, what every client reads. */
    PKCS1,
    /** RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest. */
    PSS;

    public static SignatureScheme fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "pkcs1", "pkcs1-v1_5", "pkcs1v15", "rsa" -> PKCS1;
            case "pss", "rsassa-pss", "rsa-pss" -> PSS;
            default -> throw new IllegalArgumentException("unknown RSA signature scheme '" + name + "', expected pkcs1 or pss");
        };
    }
}
