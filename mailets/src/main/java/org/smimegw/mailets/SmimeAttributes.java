package org.smimegw.mailets;

import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/** Names of the mail attributes the S/MIME mailets set (all String values unless noted). */
public final class SmimeAttributes {

    /**
     * Verification verdict: valid, invalid-signature, malformed, untrusted, ambiguous-sender, signer-mismatch,
     * not-signed ({@link org.smimegw.mailets.crypto.VerificationStatus}).
     */
    public static final AttributeName STATUS = AttributeName.of("org.smimegw.smime.status");
    /** The signer(s): e-mail address and certificate subject, separated by ", ". */
    public static final AttributeName SIGNER = AttributeName.of("org.smimegw.smime.signer");
    /** Why the verdict is not valid (validation failures, digest mismatch...), "; "-separated. */
    public static final AttributeName REASON = AttributeName.of("org.smimegw.smime.reason");
    /** Algorithms seen: "digest=SHA-256; signature=RSA" (verify) and/or "encryption=AES-256-CBC" (decrypt). */
    public static final AttributeName ALGORITHMS = AttributeName.of("org.smimegw.smime.algorithms");
    /**
     * Decryption outcome: decrypted, decrypted-unauthenticated, no-key, key-refused, failed, nested-refused
     * ({@link org.smimegw.mailets.crypto.DecryptionResult.Status}).
     */
    public static final AttributeName DECRYPTION = AttributeName.of("org.smimegw.smime.decryption");
    /**
     * Why a mail was not decrypted, or why its decrypted content is unauthenticated (any outcome but decrypted), in
     * words a person understands; never message content.
     */
    public static final AttributeName DECRYPTION_REASON = AttributeName.of("org.smimegw.smime.decryption.reason");
    /** Content-encryption algorithm of a decrypted message, e.g. AES-256-GCM. */
    public static final AttributeName DECRYPTION_ALGORITHM = AttributeName.of("org.smimegw.smime.decryption.algorithm");
    /** Set by SMIMESign: the address whose key signed. */
    public static final AttributeName SIGNED_BY = AttributeName.of("org.smimegw.smime.signed.by");
    /** Set by SMIMEEncrypt: the content-encryption algorithm used. */
    public static final AttributeName ENCRYPTED_WITH = AttributeName.of("org.smimegw.smime.encrypted.with");
    /** Set by SMIMEEncrypt on the copy handed to noCertificateProcessor: "no-certificate". */
    public static final AttributeName ENCRYPTION_SKIPPED = AttributeName.of("org.smimegw.smime.encryption.skipped");
    /** Set by SMIMESign when the sender has no usable key: "no-key". */
    public static final AttributeName SIGNING_SKIPPED = AttributeName.of("org.smimegw.smime.signing.skipped");

    private SmimeAttributes() {
    }

    public static void set(Mail mail, AttributeName name, String value) {
        if (value == null) {
            mail.removeAttribute(name);
        } else {
            mail.setAttribute(new Attribute(name, AttributeValue.of(value)));
        }
    }

    public static Optional<String> get(Mail mail, AttributeName name) {
        return mail.getAttribute(name).flatMap(a -> a.getValue().valueAs(String.class));
    }
}
