package org.smimegw.certstore;

/** One reason a certificate failed validation, with a human-readable detail (never key material). */
public record ValidationFailure(Reason reason, String detail) {

    public enum Reason {
        NO_PATH_TO_TRUST_ANCHOR,
        EXPIRED,
        NOT_YET_VALID,
        REVOKED,
        REVOCATION_UNKNOWN,
        KEY_USAGE,
        EXTENDED_KEY_USAGE,
        NO_EMAIL_ADDRESS,
        ADDRESS_MISMATCH,
        WEAK_KEY,
        INVALID_SIGNATURE
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
