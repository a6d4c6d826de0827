package org.smimegw.mailets.crypto;

import java.util.Locale;

/**
 * Whether the gateway may encrypt with another algorithm than the default (the policy's
 * {@code RequireEncryptionSMIMEAlgorithm}, {@code SMIMEEncrypt}'s {@code defaultAlgorithm}) when the recipients
 * announced (SMIMECapabilities) something else: Exchange's {@code AllowSMIMEEncryptionAlgorithmNegotiation}, the one
 * type the policy and the crypto classes share. Declared from least to most strict.
 */
public enum NegotiationMode {
    /** Any allowed algorithm the recipient announced (weak ones only where the policy allows them at all). */
    AllowAnyAlgorithmNegotiation,
    /** Only strong algorithms (AES-128 and up) among the allowed ones the recipient announced. */
    OnlyStrongAlgorithmNegotiation,
    /**
     * Exactly the default. The policy refuses a recipient that announced it cannot decrypt that; the classic
     * {@code SMIMEEncrypt} (which never refuses) always uses the default.
     */
    BlockNegotiation;

    public static NegotiationMode stricter(NegotiationMode a, NegotiationMode b) {
        return b.ordinal() > a.ordinal() ? b : a;
    }

    /** Whether another algorithm than the default may be chosen at all. */
    public boolean negotiates() {
        return this != BlockNegotiation;
    }

    /**
     * Parses a mailet parameter: Exchange's names in any case, or the short forms {@code negotiate} (= any
     * algorithm) and {@code fixed} (= block).
     */
    public static NegotiationMode fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (NegotiationMode m : values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(n)) {
                return m;
            }
        }
        return switch (n) {
            case "negotiate", "true", "yes" -> AllowAnyAlgorithmNegotiation;
            case "fixed", "default", "false", "no" -> BlockNegotiation;
            default -> throw new IllegalArgumentException("unknown negotiation mode '" + name + "', expected negotiate, "
                    + "fixed, AllowAnyAlgorithmNegotiation, OnlyStrongAlgorithmNegotiation or BlockNegotiation");
        };
    }
}
