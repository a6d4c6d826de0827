package org.smimegw.mailets.crypto;

import java.util.List;

/**
 * The cryptographic primitives whose JCA provider the gateway chooses ({@link PrimitiveProviders}), with the JCA
 * services each needs from a provider and the order {@code crypto.providers: auto} tries the providers in. The
 * order is what the JMH suite measured ({@code bench/run.sh jmh PrimitiveBenchmark}, docs/perf.md): the Amazon
 * Corretto Crypto Provider (AWS-LC) is 3-4x faster than the JDK's for RSA private-key operations and faster for
 * RSA public-key operations and ECDSA; the JDK's intrinsics (AES-NI, SHA extensions) match or beat it for AES-CBC
 * and SHA-2 on 10 KB messages; Bouncy Castle's pure-Java code is the slowest everywhere and the only one with the
 * X9.63-KDF key agreement names CMS uses.
 */
public enum Primitive {
    RSA_PRIVATE("RSA sign/decrypt", List.of(ProviderSource.ACCP, ProviderSource.JDK, ProviderSource.BC),
            "Signature.SHA256withRSA", "Cipher.RSA/ECB/PKCS1Padding"),
    RSA_PUBLIC("RSA verify/encrypt", List.of(ProviderSource.ACCP, ProviderSource.JDK, ProviderSource.BC),
            "Signature.SHA256withRSA", "Cipher.RSA/ECB/PKCS1Padding", "Cipher.RSA/ECB/OAEPPadding"),
    AES_CBC("AES-CBC", List.of(ProviderSource.JDK, ProviderSource.ACCP, ProviderSource.BC),
            "Cipher.AES/CBC/PKCS5Padding"),
    AES_GCM("AES-GCM", List.of(ProviderSource.BC), "Cipher.AES/GCM/NoPadding"),
    SHA2("SHA-2", List.of(ProviderSource.JDK, ProviderSource.ACCP, ProviderSource.BC),
            "MessageDigest.SHA-256", "MessageDigest.SHA-384", "MessageDigest.SHA-512"),
    ECDSA("ECDSA", List.of(ProviderSource.ACCP, ProviderSource.JDK, ProviderSource.BC),
            "Signature.SHA256withECDSA", "Signature.SHA384withECDSA"),
    ECDH("ECDH", List.of(ProviderSource.BC), "KeyAgreement.ECDHwithSHA256KDF", "KeyAgreement.ECDHwithSHA384KDF");

    private final String displayName;
    private final List<ProviderSource> autoOrder;
    private final List<String> services;

    Primitive(String displayName, List<ProviderSource> autoOrder, String... services) {
        this.displayName = displayName;
        this.autoOrder = autoOrder;
        this.services = List.of(services);
    }

    public String displayName() {
        return displayName;
    }

    /** The providers {@code auto} tries, fastest first. */
    List<ProviderSource> autoOrder() {
        return autoOrder;
    }

    /** The JCA services ({@code Type.Algorithm}) a provider must have to compute this primitive. */
    List<String> services() {
        return services;
    }
}
