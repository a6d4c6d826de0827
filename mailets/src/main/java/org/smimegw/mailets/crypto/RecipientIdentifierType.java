package org.smimegw.mailets.crypto;

import java.util.Locale;

/** How a RecipientInfo names the recipient's certificate. */
public enum RecipientIdentifierType {
    ISSUER_AND_SERIAL,
    /** By Subject Key Identifier, as Exchange's {@code OWAUseKeyIdentifier} does. */
    SUBJECT_KEY_IDENTIFIER;

    public static RecipientIdentifierType fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "issuer-serial", "issuerandserial", "issuer-and-serial" -> ISSUER_AND_SERIAL;
            case "ski", "subject-key-identifier", "key-identifier" -> SUBJECT_KEY_IDENTIFIER;
            default -> throw new IllegalArgumentException(
                    "unknown recipient identifier '" + name + "', expected issuer-serial or ski");
        };
    }
}
