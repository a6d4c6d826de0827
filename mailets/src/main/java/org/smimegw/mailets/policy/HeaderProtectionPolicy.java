package org.smimegw.mailets.policy;

import java.util.Optional;

import org.smimegw.mailets.crypto.HeaderProtection;

/**
 * {@code SMIMEHeaderProtection} (the gateway's own setting; Exchange has none): when outbound mail gets RFC 9788
 * header protection ({@link HeaderProtection}).
 */
public enum HeaderProtectionPolicy {
    /** Never: the inner part carries no protected header fields and the outer Subject stays as written. */
    Off,
    /** Encrypted mail only (the default): hp="cipher", outer Subject "[...]"; signed-only mail is left as it was. */
    Encrypted,
    /** Encrypted mail as above, and signed-only mail too (hp="clear", the outer header section unchanged). */
    Always;

    /** The hp mode for a message signed and/or encrypted as planned, or empty for none. */
    public Optional<HeaderProtection.Mode> mode(boolean signed, boolean encrypted) {
        if (this == Off) {
            return Optional.empty();
        }
        if (encrypted) {
            return Optional.of(HeaderProtection.Mode.CIPHER);
        }
        return signed && this == Always ? Optional.of(HeaderProtection.Mode.CLEAR) : Optional.empty();
    }
}
