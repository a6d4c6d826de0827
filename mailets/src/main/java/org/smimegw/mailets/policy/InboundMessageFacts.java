package org.smimegw.mailets.policy;

/** What the decrypting and verifying mailets found in an inbound message, for the inbound policy decision. */
public record InboundMessageFacts(Signature signature, Encryption encryption) {

    public sealed interface Signature {
        /** No S/MIME signature. */
        record Unsigned() implements Signature {
        }

        /** Signature valid, signer certificate valid with a path to the trust collection. */
        record Verified(CertificateSummary signer, String digestOid) implements Signature {
        }

        /** Signature does not verify (content changed, bad signature value, ...). */
        record Invalid(String reason) implements Signature {
        }

        /** Signature verifies but the signer's certificate is not trusted (no path, expired, revoked...). */
        record Untrusted(CertificateSummary signer, String reason) implements Signature {
        }
    }

    public sealed interface Encryption {
        /** Arrived in clear. */
        record NotEncrypted() implements Encryption {
        }

        /** Arrived encrypted with this content-encryption OID (keyBits: for RC2, the effective key size). */
        record Encrypted(String contentAlgorithmOid, int keyBits) implements Encryption {
        }
    }
}
