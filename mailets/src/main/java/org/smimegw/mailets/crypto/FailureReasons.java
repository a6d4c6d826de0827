package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import jakarta.mail.MessagingException;

import org.bouncycastle.cms.CMSException;
import org.slf4j.Logger;

/**
 * Why a decryption or a signature check failed, in words a person understands, fit for a header, an attribute and a
 * log line. An exception's own message is never repeated: a MIME parser quotes the header it could not parse (so the
 * message would carry plain text into logs and error records), and others expose Java internals
 * ({@code Cannot invoke "Object.getClass()"...}). One fixed phrase per kind of failure.
 * <p>
 * Every failure after the recipient's key is used (key transport, padding, authentication tag, decrypted bytes that
 * are no MIME entity) gets the same phrase, so that the verdict is no oracle telling an attacker which step his
 * altered ciphertext broke.
 */
final class FailureReasons {

    static final String UNDECRYPTABLE = "the ciphertext does not decrypt to a readable message with the recipient's"
            + " key: it was altered in transit, or it is not encrypted for this key";
    static final String UNSUPPORTED_ALGORITHM = "the content-encryption algorithm is not supported";
    static final String MALFORMED_ENVELOPE = "the encrypted data (CMS) is malformed or truncated";
    static final String UNREADABLE_MIME = "the MIME structure of the message cannot be read";
    static final String MALFORMED_SIGNATURE = "the signature (CMS SignedData) is malformed or truncated";
    static final String UNCHECKABLE_SIGNATURE = "the signature cannot be checked with the certificate's key"
            + " (algorithm not supported or not matching the key)";
    static final String UNREADABLE_CERTIFICATE = "the signer's certificate cannot be read";

    private FailureReasons() {
    }

    /** The reason for a failure while reading an encrypted message, decrypting it or reading what it decrypted to. */
    static String decryption(Throwable e, Logger log) {
        if (anyCause(e, NoSuchAlgorithmException.class) || messageMentions(e, "can't find", "not supported",
                "unsupported", "cannot create cipher", "unknown cipher")) {
            return UNSUPPORTED_ALGORITHM;
        }
        if (isCryptographic(e)) {
            return UNDECRYPTABLE;
        }
        if (e instanceof MessagingException) {
            return UNREADABLE_MIME;
        }
        if (e instanceof CMSException || e instanceof IOException || isAsn1(e)) {
            return MALFORMED_ENVELOPE;
        }
        return unexpected("decrypting", e, log);
    }

    /** The reason for a failure while parsing a signed message or its signature. */
    static String signature(Throwable e, Logger log) {
        if (e instanceof MessagingException) {
            return UNREADABLE_MIME;
        }
        if (e instanceof CMSException || e instanceof IOException || isAsn1(e)) {
            return MALFORMED_SIGNATURE;
        }
        return unexpected("verifying", e, log);
    }

    /** An exception nobody expected: the log gets its type and where it was thrown (no message), the verdict words. */
    static String unexpected(String doing, Throwable e, Logger log) {
        StackTraceElement[] trace = e.getStackTrace();
        log.warn("unexpected {} while {} (at {}); the verdict says so without details", e.getClass().getName(), doing,
                trace.length == 0 ? "unknown place" : trace[0]);
        return "unexpected error while " + doing + " (the gateway's log names it)";
    }

    /** Whether the failure came from the cipher: key transport, padding, authentication tag. */
    private static boolean isCryptographic(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof java.security.GeneralSecurityException
                    || name.startsWith("org.bouncycastle.crypto.")
                    || name.endsWith("InvalidCipherTextIOException")) {
                return true;
            }
        }
        return messageMentions(e, "pad block", "padding", "mac check", "tag mismatch", "unwrap", "decrypt");
    }

    /**
     * Whether the failure is a parser's on malformed input: an ASN.1 exception, or a runtime exception that the ASN.1
     * or CMS parsing code threw (structures of the wrong shape end in index, cast or null errors there).
     */
    private static boolean isAsn1(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("org.bouncycastle.asn1.") || t instanceof IllegalArgumentException
                    || t instanceof ClassCastException || t instanceof IllegalStateException) {
                return true;
            }
            StackTraceElement[] trace = t.getStackTrace();
            if (t instanceof RuntimeException && trace.length > 0
                    && (trace[0].getClassName().startsWith("org.bouncycastle.asn1.")
                    || trace[0].getClassName().startsWith("org.bouncycastle.cms."))) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a library message (ours to classify, never to repeat) says one of these words. */
    private static boolean messageMentions(Throwable e, String... words) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            String lower = m.toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (lower.contains(w)) {
                    return true;
                }
            }
        }
        return false;
    }
}
