package org.smimegw.mailets.crypto;

import java.util.Locale;

/** Whether the content-encryption algorithm follows what the recipients announced, or is always the default. */
public enum NegotiationMode {
    /** Strongest algorithm in the allowed list that every recipient announced; the default when anything is unknown. */
    NEGOTIATE,
    /** Always the default algorithm (Exchange's AllowSMIMEEncryptionAlgorithmNegotiation = false). */
    FIXED;

    public static NegotiationMode fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "negotiate", "true", "yes" -> NEGOTIATE;
            case "fixed", "default", "false", "no" -> FIXED;
            default -> throw new IllegalArgumentException("unknown negotiation mode '" + name + "', expected negotiate or fixed");
        };
    }
}
