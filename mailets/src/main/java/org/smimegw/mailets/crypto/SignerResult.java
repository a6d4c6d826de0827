package org.smimegw.mailets.crypto;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.ValidationResult;

/**
 * The verdict on one SignerInfo.
 *
 * @param certificate        the signer's certificate, null when it was not in the signature
 * @param supplied           every certificate that came with the signature
 * @param signingTime        the signed signing-time attribute, null when absent
 * @param digestAlgorithm    e.g. SHA-256
 * @param signatureAlgorithm e.g. RSA, RSASSA-PSS, SHA256WITHECDSA
 * @param signatureValid     the signature matches the content
 * @param atSigningTime      validation at the signing time, null when there was no signing time or no certificate
 * @param now                validation now, null when there was no certificate
 * @param matchedAddress     the one From mailbox the signature is bound to ({@link SenderBinding}, normalised), null
 *                           when it is not bound
 * @param capabilities       the SMIMECapabilities the signer announced
 */
public record SignerResult(VerificationStatus status, X509Certificate certificate, List<X509Certificate> supplied,
                           Instant signingTime, String digestAlgorithm, String signatureAlgorithm,
                           boolean signatureValid, ValidationResult atSigningTime, ValidationResult now,
                           String matchedAddress, SmimeCapabilities capabilities, List<String> reasons) {
    public SignerResult {
        supplied = List.copyOf(supplied);
        reasons = List.copyOf(reasons);
    }
}
