package org.smimegw.mailets.crypto;

import java.util.Locale;

/** The verdict on a message's signature(s), worst first. */
public enum VerificationStatus {
    /** The signature does not match the content (tampered) or cannot be computed. */
    INVALID_SIGNATURE(0),
    /** The S/MIME structure cannot be parsed, or no signer is in it. */
    MALFORMED(1),
    /** The signature is intact but the signer's certificate is not trusted (no path, expired, revoked, key usage...). */
    UNTRUSTED(2),
    /** Intact and trusted, but not exactly one From header with exactly one mailbox: whom it binds is unclear. */
    AMBIGUOUS_SENDER(3),
    /**
     * Intact and trusted, but the one From mailbox is not an address of the certificate, or the From header shows
     * another address (display name, comment).
     */
    SIGNER_MISMATCH(4),
    /** Intact, trusted, and bound to the one From mailbox ({@link SenderBinding}). */
    VALID(5),
    /** The message is not S/MIME signed. */
    NOT_SIGNED(6);

    private final int rank;

    VerificationStatus(int rank) {
        this.rank = rank;
    }

    /** The lower-case value used in X-SMIME-Status and attributes, e.g. {@code invalid-signature}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public VerificationStatus worse(VerificationStatus other) {
        return other.rank < rank ? other : this;
    }
}
