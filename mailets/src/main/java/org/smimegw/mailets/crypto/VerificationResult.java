package org.smimegw.mailets.crypto;

import java.util.List;

/** The verdict on a message: the overall status (the worst signer's), each signer, and the reasons. */
public record VerificationResult(VerificationStatus status, List<SignerResult> signers, List<String> reasons) {
    public VerificationResult {
        signers = List.copyOf(signers);
        reasons = List.copyOf(reasons);
    }

    static VerificationResult of(VerificationStatus status, String reason) {
        return new VerificationResult(status, List.of(), List.of(reason));
    }

    public boolean isValid() {
        return status == VerificationStatus.VALID;
    }
}
