package org.smimegw.certstore;

/** Where a user's private key lives; policy {@code AllowSMIMESoftCerts: false} refuses {@link #SOFTWARE}. */
public enum KeyStorage {
    /** A PKCS#12 file in the embedded store. */
    SOFTWARE,
    /** A hardware token reached through PKCS#11. */
    HARDWARE
}
