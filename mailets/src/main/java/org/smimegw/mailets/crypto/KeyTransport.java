package org.smimegw.mailets.crypto;

import java.util.Locale;

/** How the content-encryption key is wrapped for an RSA recipient (EC recipients always use ECDH key agreement). */
public enum KeyTransport {
    /** RSAES-PKCS1-v1_5: read by every client. */
    RSA_PKCS1,
    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 4055 / RFC 8551). */
    RSA_OAEP_SHA256;

    public static KeyTransport fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "pkcs1", "rsa", "pkcs1-v1_5" -> RSA_PKCS1;
            case "oaep", "rsa-oaep", "oaep-sha256" -> RSA_OAEP_SHA256;
            default -> throw new IllegalArgumentException("unknown key transport '" + name + "', expected pkcs1 or oaep");
        };
    }
}
