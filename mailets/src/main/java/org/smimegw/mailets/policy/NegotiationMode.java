package org.smimegw.mailets.policy;

/**
 * {@code AllowSMIMEEncryptionAlgorithmNegotiation}: whether the gateway may pick an encryption algorithm other than
 * {@code RequireEncryptionSMIMEAlgorithm} from what the recipient announced (SMIMECapabilities).
 * Declared from least to most strict.
 */
public enum NegotiationMode {
    /** Any algorithm from OWAEncryptionAlgorithms the recipient announced (weak ones only if allowed at all). */
    AllowAnyAlgorithmNegotiation,
    /** Only strong algorithms (AES-128 and up) from OWAEncryptionAlgorithms the recipient announced. */
    OnlyStrongAlgorithmNegotiation,
    /** Exactly RequireEncryptionSMIMEAlgorithm; refuse when the recipient announced it cannot decrypt that. */
    BlockNegotiation;

    public static NegotiationMode stricter(NegotiationMode a, NegotiationMode b) {
        return b.ordinal() > a.ordinal() ? b : a;
    }
}
