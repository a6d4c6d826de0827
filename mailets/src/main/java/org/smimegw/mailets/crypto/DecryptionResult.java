package org.smimegw.mailets.crypto;

import java.security.cert.X509Certificate;
import java.util.Optional;

import jakarta.mail.internet.MimeMessage;

/**
 * What {@link SmimeDecryptor} did with a message. {@code message} is present only when it was decrypted
 * ({@link #isDecrypted()}).
 *
 * @param contentEncryption the content-encryption algorithm's name (e.g. AES-256-CBC) or OID, null when unknown
 * @param keyEncryption     the key transport / agreement algorithm of the RecipientInfo used, null when none
 * @param certificate       the certificate of the key that decrypted, null when none
 */
public record DecryptionResult(Status status, Optional<MimeMessage> message, String contentEncryption,
                               String keyEncryption, X509Certificate certificate, String reason) {

    public enum Status {
        /** Decrypted, and the content is authenticated: AuthEnvelopedData with an AEAD algorithm (AES-GCM...). */
        DECRYPTED,
        /**
         * Decrypted, but nothing shows the content unaltered: EnvelopedData (CBC and legacy modes) is malleable, so
         * an attacker may have changed it in transit (EFAIL). A valid signature inside authenticates it
         * ({@code SMIMEVerify} then says {@link #DECRYPTED}); nothing from such content is promoted into the header
         * block.
         */
        DECRYPTED_UNAUTHENTICATED,
        /** The top level is not S/MIME encrypted (nothing to do). */
        NOT_ENCRYPTED,
        /** An encrypted part sits inside an unencrypted multipart: never decrypted (EFAIL). */
        NESTED_REFUSED,
        /** None of the RecipientInfos is for a key we hold. */
        NO_KEY,
        /** A key we hold would decrypt, but policy does not let it (the reason says why); nothing was decrypted. */
        KEY_REFUSED,
        /**
         * Malformed CMS, wrong key, failed integrity check, unsupported algorithm, decrypted bytes that are no
         * readable MIME entity: the mail keeps its ciphertext.
         */
        FAILED;

        /** The lower-case value written in headers and attributes, e.g. {@code no-key}. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** Whether the content was decrypted, authenticated or not. */
        public boolean decrypted() {
            return this == DECRYPTED || this == DECRYPTED_UNAUTHENTICATED;
        }

        /** The status written as {@code value} (e.g. in an attribute), if it is one. */
        public static Optional<Status> ofValue(String value) {
            return java.util.Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
        }
    }

    /** Whether the message was decrypted (authenticated or not): {@link #message()} is then present. */
    public boolean isDecrypted() {
        return status.decrypted();
    }

    public static DecryptionResult of(Status status, String contentEncryption, String reason) {
        return new DecryptionResult(status, Optional.empty(), contentEncryption, null, null, reason);
    }
}
