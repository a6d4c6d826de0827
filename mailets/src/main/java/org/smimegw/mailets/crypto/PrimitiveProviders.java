package org.smimegw.mailets.crypto;

import java.security.Provider;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Picks the JCA provider per primitive: the JDK's where it is the faster correct one, Bouncy Castle where the JDK
 * lacks the algorithm name. Bouncy Castle still builds every CMS structure; only the primitives move.
 *
 * <ul>
 *   <li>digests (SHA-2): the JDK's ({@code SUN}, SHA intrinsics): 5-10x Bouncy Castle's pure-Java digests;</li>
 *   <li>content encryption with AES-CBC: the JDK's ({@code SunJCE}, AES-NI intrinsics): about 2x; AES-GCM stays
 *       with Bouncy Castle (the JDK has no key generator under the CMS GCM object identifiers);</li>
 *   <li>RSA PKCS#1 v1.5 and ECDSA signatures, RSA key transport (PKCS#1 v1.5, OAEP): the JDK's
 *       ({@code SunRsaSign}, {@code SunEC}, {@code SunJCE}); with no provider named the JCA also picks one that
 *       can use the key (a PKCS#11 key goes to its token's provider);</li>
 *   <li>RSASSA-PSS under Bouncy Castle's name ({@code SHA256withRSAandMGF1}) and ECDH with the X9.63 KDF
 *       ({@code ECDHwithSHA256KDF}): Bouncy Castle's, as the JDK has neither name.</li>
 * </ul>
 * An empty {@link Optional} means "the JCA's default provider selection". Immutable and thread-safe.
 */
public final class PrimitiveProviders {
    private final Provider bouncyCastle;

    public PrimitiveProviders(Provider bouncyCastle) {
        this.bouncyCastle = bouncyCastle;
    }

    public PrimitiveProviders() {
        this(new BouncyCastleProvider());
    }

    /** Bouncy Castle, for what only it has (ECDH with a KDF, PSS under BC names). */
    public Provider bouncyCastle() {
        return bouncyCastle;
    }

    /** The provider for a JCA signature algorithm name such as {@code SHA256withRSA}. */
    public Optional<Provider> signature(String algorithm) {
        String name = algorithm.toUpperCase(Locale.ROOT);
        if (name.endsWith("WITHRSA") || name.endsWith("WITHECDSA")) {
            return Optional.empty();
        }
        return Optional.of(bouncyCastle);
    }
}
