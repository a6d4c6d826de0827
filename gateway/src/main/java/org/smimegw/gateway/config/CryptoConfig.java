package org.smimegw.gateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smimegw.mailets.crypto.CryptoProviders;

/**
 * YAML {@code crypto:}.
 *
 * @param providers {@code auto} (default): per primitive the fastest correct provider installed (ACCP for RSA and
 *                  ECDSA where it loads, the JDK's for AES-CBC and SHA-2, Bouncy Castle for CMS AES-GCM and ECDH);
 *                  {@code jdk}, {@code bc}, {@code accp}: that provider wherever it can, the JDK's and then Bouncy
 *                  Castle's where it cannot (docs/perf.md)
 */
public record CryptoConfig(CryptoProviders providers) {

    @JsonCreator
    public static CryptoConfig of(@JsonProperty("providers") CryptoProviders providers) {
        return new CryptoConfig(providers == null ? CryptoProviders.AUTO : providers);
    }

    public static CryptoConfig defaults() {
        return of(null);
    }
}
