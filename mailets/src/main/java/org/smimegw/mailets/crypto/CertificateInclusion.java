package org.smimegw.mailets.crypto;

import java.util.Locale;

/** Which certificates a signature carries. */
public enum CertificateInclusion {
    SIGNER_ONLY, CHAIN_WITHOUT_ROOT, CHAIN_WITH_ROOT;

    public static CertificateInclusion fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "signer", "signer-only" -> SIGNER_ONLY;
            case "chain", "chain-without-root" -> CHAIN_WITHOUT_ROOT;
            case "chain-with-root", "all" -> CHAIN_WITH_ROOT;
            default -> throw new IllegalArgumentException(
                    "unknown certificate inclusion '" + name + "', expected signer, chain or chain-with-root");
        };
    }
}
