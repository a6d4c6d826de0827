package org.smimegw.mailets.policy;

import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/** The outcome of choosing a content-encryption algorithm for one recipient. */
public sealed interface NegotiationResult {

    /** Use {@code algorithm}; {@code why} explains the choice in one sentence. */
    record Chosen(EncryptionAlgorithm algorithm, String why) implements NegotiationResult {
    }

    /** No algorithm policy allows is one the recipient can decrypt. */
    record Refused(String reason) implements NegotiationResult {
    }
}
