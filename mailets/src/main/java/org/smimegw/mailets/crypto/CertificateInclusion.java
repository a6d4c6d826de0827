package org.smimegw.mailets.crypto;

import java.util.Locale;

/**
 * Which certificates a signature carries, the one type the policy ({@code OWAIncludeCertificateChainWithoutRoot
 * Certificate}, {@code OWAIncludeCertificateChainAndRootCertificate}) and the signer share. The chain is the signer's
 * path up to its trust anchor, as the validator built it.
 */
public enum CertificateInclusion {
    /** The signer's certificate only. */
    CERTIFICATE_ONLY,
    /** The signer's certificate and its intermediates, not the root. */
    CHAIN_WITHOUT_ROOT,
    /** The signer's certificate, its intermediates and the root (trust anchor). */
    CHAIN_AND_ROOT;

    /** How {@code policy explain} says it: "certificate only", "chain without root", "chain and root". */
    public String description() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Parses a mailet parameter: {@code signer}, {@code chain} or {@code chain-with-root} (and the long forms). */
    public static CertificateInclusion fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "signer", "signer-only", "certificate-only" -> CERTIFICATE_ONLY;
            case "chain", "chain-without-root" -> CHAIN_WITHOUT_ROOT;
            case "chain-with-root", "chain-and-root", "all" -> CHAIN_AND_ROOT;
            default -> throw new IllegalArgumentException(
                    "unknown certificate inclusion '" + name + "', expected signer, chain or chain-with-root");
        };
    }
}
