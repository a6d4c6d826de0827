package org.smimegw.mailets.policy;

import java.util.List;
import java.util.Optional;

import org.smimegw.mailets.crypto.AlgorithmNegotiator;
import org.smimegw.mailets.crypto.CertificateInclusion;
import org.smimegw.mailets.crypto.ContentEncryption;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.NegotiationMode;
import org.smimegw.mailets.crypto.RecipientIdentifierType;
import org.smimegw.mailets.crypto.SignMode;
import org.smimegw.mailets.crypto.SignerSettings;

/**
 * Where policy meets the S/MIME crypto classes ({@code org.smimegw.mailets.crypto}): policy algorithms map to the
 * crypto enums by OID (the crypto layer produces AES only, so legacy ciphers and digests have no counterpart), and a
 * policy decision's {@link SigningPlan} / {@link EncryptionPlan} become {@link SignerSettings},
 * {@link EncryptorSettings} and an {@link AlgorithmNegotiator} fixed to the algorithm policy chose for the recipient.
 * Policy negotiates per recipient (it may refuse); the crypto negotiator then has nothing left to choose.
 */
public final class PolicyCryptoMapping {

    private PolicyCryptoMapping() {
    }

    /** The crypto layer's algorithm with the same OID; empty for the legacy ciphers it does not produce. */
    public static Optional<ContentEncryption> contentEncryption(EncryptionAlgorithm algorithm) {
        return Optional.ofNullable(ContentEncryption.fromOid(algorithm.oid().getId()));
    }

    /** The policy name of a crypto algorithm (always exists: every ContentEncryption is a policy algorithm). */
    public static EncryptionAlgorithm policyAlgorithm(ContentEncryption algorithm) {
        return EncryptionAlgorithm.byOid(algorithm.oidString()).get(0);
    }

    /** The crypto layer's digest; empty for SHA1 and MD5, which it does not sign with. */
    public static Optional<org.smimegw.mailets.crypto.DigestAlgorithm> digest(DigestAlgorithm digest) {
        for (org.smimegw.mailets.crypto.DigestAlgorithm d : org.smimegw.mailets.crypto.DigestAlgorithm.values()) {
            if (d.jcaPrefix().equals(digest.policyName())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code base} (RSA scheme, SMIMEEncryptionKeyPreference: the mailet's own settings) with the plan's mode, digest,
     * certificate inclusion and announced capabilities (legacy ones left out).
     *
     * @throws IllegalArgumentException when the plan's digest is a legacy one the crypto layer does not produce
     */
    public static SignerSettings signerSettings(SigningPlan plan, SignerSettings base) {
        org.smimegw.mailets.crypto.DigestAlgorithm digest = digest(plan.digest()).orElseThrow(() ->
                new IllegalArgumentException("the signer does not produce " + plan.digest() + " signatures"));
        List<ContentEncryption> capabilities = plan.capabilitiesToAnnounce().stream()
                .map(PolicyCryptoMapping::contentEncryption).flatMap(Optional::stream).toList();
        CertificateInclusion inclusion = switch (plan.chain()) {
            case CERTIFICATE_ONLY -> CertificateInclusion.SIGNER_ONLY;
            case CHAIN_WITHOUT_ROOT -> CertificateInclusion.CHAIN_WITHOUT_ROOT;
            case CHAIN_AND_ROOT -> CertificateInclusion.CHAIN_WITH_ROOT;
        };
        return new SignerSettings(plan.clearSign() ? SignMode.CLEAR : SignMode.OPAQUE, digest, base.rsaScheme(),
                inclusion, capabilities, base.encryptionKeyPreference());
    }

    /** {@code base} (key transport: the mailet's own setting) with OWAUseKeyIdentifier's recipient identifier. */
    public static EncryptorSettings encryptorSettings(EncryptionPlan plan, EncryptorSettings base) {
        return new EncryptorSettings(base.keyTransport(), plan.useKeyIdentifier()
                ? RecipientIdentifierType.SUBJECT_KEY_IDENTIFIER : RecipientIdentifierType.ISSUER_AND_SERIAL);
    }

    /**
     * A negotiator that always answers the algorithm policy chose for this recipient.
     *
     * @throws IllegalArgumentException when it is a legacy cipher the crypto layer does not produce
     */
    public static AlgorithmNegotiator negotiator(EncryptionPlan plan) {
        ContentEncryption chosen = contentEncryption(plan.algorithm()).orElseThrow(() ->
                new IllegalArgumentException("the encryptor does not produce " + plan.algorithm()));
        return new AlgorithmNegotiator(List.of(chosen), chosen, NegotiationMode.FIXED);
    }
}
