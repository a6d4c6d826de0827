package org.smimegw.certstore;

/** What a certificate is about to be used for; validation rules (key usage, revocation policy) depend on it. */
public enum Purpose {
    /** Creating or verifying a signature: digitalSignature or nonRepudiation. */
    SIGN,
    /** Encrypting to the certificate or decrypting with its key: keyEncipherment or keyAgreement. */
    ENCRYPT
}
