package org.smimegw.mailets.crypto;

import java.util.Locale;

/** Clear-signed multipart/signed (readable without S/MIME support) or opaque application/pkcs7-mime signed-data. */
public enum SignMode {
    CLEAR, OPAQUE;

    public static SignMode fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "clear", "detached", "multipart" -> CLEAR;
            case "opaque", "enveloping", "encapsulated" -> OPAQUE;
            default -> throw new IllegalArgumentException("unknown signing mode '" + name + "', expected clear or opaque");
        };
    }
}
