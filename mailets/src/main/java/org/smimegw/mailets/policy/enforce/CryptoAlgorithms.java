package org.smimegw.mailets.policy.enforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.mailets.crypto.CertificateInclusion;
import org.smimegw.mailets.crypto.ContentEncryption;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.policy.ChainInclusion;
import org.smimegw.mailets.policy.EncryptionAlgorithm;

/**
 * Maps the policy's algorithm names to what the crypto classes can produce (by OID). Legacy algorithms a policy
 * may allow (TripleDES, RC2, SHA1, MD5) have no producer: the mapping is empty and the enforcer refuses.
 */
final class CryptoAlgorithms {

    private CryptoAlgorithms() {
    }

    static Optional<ContentEncryption> content(EncryptionAlgorithm algorithm) {
        return Optional.ofNullable(ContentEncryption.fromOid(algorithm.oid().getId()));
    }

    static Optional<DigestAlgorithm> digest(org.smimegw.mailets.policy.DigestAlgorithm digest) {
        for (DigestAlgorithm d : DigestAlgorithm.values()) {
            if (d.name().replace("_", "").equals(digest.policyName())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static CertificateInclusion chain(ChainInclusion chain) {
        return switch (chain) {
            case CERTIFICATE_ONLY -> CertificateInclusion.SIGNER_ONLY;
            case CHAIN_WITHOUT_ROOT -> CertificateInclusion.CHAIN_WITHOUT_ROOT;
            case CHAIN_AND_ROOT -> CertificateInclusion.CHAIN_WITH_ROOT;
        };
    }

    /** The announceable ones, in order (legacy ones are left out: the gateway would not decrypt them anyway). */
    static List<ContentEncryption> capabilities(List<EncryptionAlgorithm> algorithms) {
        List<ContentEncryption> out = new ArrayList<>();
        for (EncryptionAlgorithm a : algorithms) {
            content(a).filter(c -> !out.contains(c)).ifPresent(out::add);
        }
        return out;
    }
}
