package org.smimegw.mailets.policy;

import java.util.List;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.CertificateInclusion;

/**
 * How to sign: digest, whose certificate (and where its key lives), clear or opaque, which certificates to include,
 * and the SMIMECapabilities to announce (empty when OWAIncludeSMIMECapabilitiesInMessage is false).
 */
public record SigningPlan(DigestAlgorithm digest, CertificateSummary certificate, KeyStorage storage,
                          boolean clearSign, CertificateInclusion chain, List<EncryptionAlgorithm> capabilitiesToAnnounce,
                          String why) {
    public SigningPlan {
        capabilitiesToAnnounce = List.copyOf(capabilitiesToAnnounce);
    }
}
