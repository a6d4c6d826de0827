package org.smimegw.mailets.policy;

import java.util.List;

import org.smimegw.certstore.KeyStorage;

/**
 * How to sign: digest, whose certificate (and where its key lives), clear or opaque, which certificates to include,
 * and the SMIMECapabilities to announce (empty when OWAIncludeSMIMECapabilitiesInMessage is false).
 */
public record SigningPlan(DigestAlgorithm digest, CertificateSummary certificate, KeyStorage storage,
                          boolean clearSign, ChainInclusion chain, List<EncryptionAlgorithm> capabilitiesToAnnounce,
                          String why) {
    public SigningPlan {
        capabilitiesToAnnounce = List.copyOf(capabilitiesToAnnounce);
    }
}
