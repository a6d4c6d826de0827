package org.smimegw.mailets.policy;

import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/**
 * How to encrypt for one recipient: content algorithm (GCM ones as AuthEnvelopedData), to which certificate,
 * recipient identified by subject key identifier or issuer+serial, and how Bcc recipients are split.
 */
public record EncryptionPlan(EncryptionAlgorithm algorithm, CertificateSummary certificate, boolean useKeyIdentifier,
                             BccForking bccForking, String why) {
}
