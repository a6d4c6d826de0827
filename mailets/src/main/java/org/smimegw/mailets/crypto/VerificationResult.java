package org.smimegw.mailets.crypto;

import java.util.List;
import java.util.Optional;

/**
 * The verdict on a message: the overall status (the worst signer's), each signer, and the reasons; and the RFC 9788
 * protected header section of the signed content, when it carries one (the signature covers it; the From binding
 * was judged against its From).
 */
public record VerificationResult(VerificationStatus status, List<SignerResult> signers, List<String> reasons,
                                 Optional<HeaderProtection.Payload> protectedHeaders) {
    public VerificationResult {
        signers = List.copyOf(signers);
        reasons = List.copyOf(reasons);
    }

    public VerificationResult(VerificationStatus status, List<SignerResult> signers, List<String> reasons) {
        this(status, signers, reasons, Optional.empty());
    }

    static VerificationResult of(VerificationStatus status, String reason) {
        return new VerificationResult(status, List.of(), List.of(reason));
    }

    public boolean isValid() {
        return status == VerificationStatus.VALID;
    }
}
