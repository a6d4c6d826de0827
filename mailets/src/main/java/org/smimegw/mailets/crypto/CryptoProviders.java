package org.smimegw.mailets.crypto;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * The value of {@code crypto.providers} in gateway.yaml: which JCA providers compute the S/MIME primitives.
 * {@link #AUTO} takes, per primitive, the fastest correct provider installed (the table in {@link Primitive});
 * the others prefer one provider for every primitive it has and fall back (to the JDK's, then Bouncy Castle's) for
 * the primitives it lacks or where it is not loadable on this platform.
 */
public enum CryptoProviders {
    AUTO, JDK, BC, ACCP;

    @JsonCreator
    public static CryptoProviders fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (CryptoProviders c : values()) {
            if (c.configName().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected auto, jdk, bc or accp, got '" + name + "'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
