package org.smimegw.mailets.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * Content verifiers of one provider for the SHA-2 RSA PKCS#1 v1.5 and ECDSA signatures, made as Bouncy Castle's
 * {@code JcaContentVerifierProviderBuilder} makes them for a provider without a raw ({@code NONEwith…}) signature
 * (ACCP has no {@code NONEwithRSA}): a plain signature verifier. Bouncy Castle's builder asks for the raw signature
 * for every verifier and the provider's refusal costs an exception with its stack trace per message; here it is not
 * asked. The provider's own form of each public key is kept ({@link ProviderKeys}), so that it is not translated per
 * message.
 * Thread-safe.
 */
final class PlainSignatureVerifiers {

    private static final Map<ASN1ObjectIdentifier, String> NAMES = Map.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA",
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA");

    private final Provider provider;
    private final ProviderKeys keys;

    /** @param keys {@code provider}'s own form of the keys */
    PlainSignatureVerifiers(Provider provider, ProviderKeys keys) {
        this.provider = provider;
        this.keys = keys;
    }

    /** Whether {@code provider} lacks the raw signature Bouncy Castle's builder would ask it for. */
    static boolean needed(Provider provider, PublicKey key) {
        String raw = key.getAlgorithm().startsWith("EC") ? "NONEwithECDSA" : "NONEwithRSA";
        return provider.getService("Signature", raw) == null;
    }

    /** Whether these verifiers know {@code algorithm}. */
    static boolean knows(ASN1ObjectIdentifier algorithm) {
        return NAMES.containsKey(algorithm);
    }

    KeyVerifierProvider build(PublicKey key) {
        PublicKey own = keys.of(key);
        return algorithm -> {
            String name = NAMES.get(algorithm.getAlgorithm());
            if (name == null) {
                throw new OperatorCreationException("no plain verifier for " + algorithm.getAlgorithm());
            }
            Signature signature;
            try {
                signature = Signature.getInstance(name, provider);
                signature.initVerify(own);
            } catch (GeneralSecurityException e) {
                throw new OperatorCreationException("exception on setup: " + e, e);
            }
            return new Verifier(algorithm, signature);
        };
    }

    /** As Bouncy Castle's {@code SigVerifier}: a failure to verify is an exception, a wrong signature is false. */
    private record Verifier(AlgorithmIdentifier algorithm, Signature signature) implements ContentVerifier {
        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return OutputStreamFactory.createStream(signature);
        }

        @Override
        public boolean verify(byte[] expected) {
            try {
                return signature.verify(expected);
            } catch (SignatureException e) {
                throw new RuntimeOperatorException("exception obtaining signature: " + e.getMessage(), e);
            }
        }
    }
}
