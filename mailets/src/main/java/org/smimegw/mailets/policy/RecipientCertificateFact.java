package org.smimegw.mailets.policy;

import org.smimegw.certstore.SmimeCapabilities;

/** What the gateway knows about a recipient's encryption certificate (from {@code CertificateStore} + validator). */
public sealed interface RecipientCertificateFact {

    /** A certificate that validated for encryption, with the capabilities known for the recipient. */
    record Valid(CertificateSummary certificate, SmimeCapabilities capabilities, RevocationStatus revocation)
            implements RecipientCertificateFact {
        public Valid {
            capabilities = capabilities == null ? SmimeCapabilities.UNKNOWN : capabilities;
        }
    }

    /** The directory answered: no certificate, or none valid ({@code reason} says why, e.g. "expired"). */
    record None(String reason) implements RecipientCertificateFact {
    }

    /** A source could not be asked (directory down, timeout): the answer is unknown, never "none". */
    record DirectoryUnavailable(String reason) implements RecipientCertificateFact {
    }
}
