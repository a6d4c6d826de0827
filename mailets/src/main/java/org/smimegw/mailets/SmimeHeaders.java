package org.smimegw.mailets;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.apache.mailet.Mail;

/**
 * The {@code X-SMIME-*} headers: removed from every incoming message (nobody outside may forge a verdict) and written
 * from the mail's attributes, which only the gateway's mailets set. A value is written on one line (non-ASCII as
 * RFC 2047 encoded-words), folded only past RFC 5322's 998-character line limit, so it reads the same raw and
 * unfolded.
 */
public final class SmimeHeaders {

    public static final String PREFIX = "X-SMIME-";
    public static final String STATUS = "X-SMIME-Status";
    public static final String SIGNER = "X-SMIME-Signer";
    public static final String REASON = "X-SMIME-Reason";
    public static final String ALGORITHMS = "X-SMIME-Algorithms";
    public static final String DECRYPTION = "X-SMIME-Decryption";
    public static final String HEADER_PROTECTION = "X-SMIME-Header-Protection";

    private static final int MAX_VALUE_LENGTH = 900;
    /** RFC 5322 2.1.1's limit for a line (the 78 characters it recommends would fold most signer verdicts). */
    private static final int MAX_LINE_LENGTH = 998;

    private SmimeHeaders() {
    }

    /** Removes every header whose name starts with X-SMIME- (case-insensitive). Returns how many names were removed. */
    public static int strip(MimeMessage message) throws MessagingException {
        List<String> names = new ArrayList<>();
        Enumeration<Header> headers = message.getAllHeaders();
        while (headers.hasMoreElements()) {
            String name = headers.nextElement().getName();
            if (name.toUpperCase(Locale.ROOT).startsWith(PREFIX) && !names.contains(name)) {
                names.add(name);
            }
        }
        for (String name : names) {
            message.removeHeader(name);
        }
        return names.size();
    }

    /** Writes the headers for the S/MIME attributes the mail carries (replacing any previous value). */
    public static void write(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        put(message, DECRYPTION, decryptionVerdict(mail));
        put(message, STATUS, SmimeAttributes.get(mail, SmimeAttributes.STATUS));
        put(message, SIGNER, SmimeAttributes.get(mail, SmimeAttributes.SIGNER));
        put(message, REASON, SmimeAttributes.get(mail, SmimeAttributes.REASON));
        put(message, ALGORITHMS, SmimeAttributes.get(mail, SmimeAttributes.ALGORITHMS));
        put(message, HEADER_PROTECTION, SmimeAttributes.get(mail, SmimeAttributes.HEADER_PROTECTION));
    }

    /** The outcome, and the reason as a comment when it was not decrypted: {@code key-refused (bob's key is ...)}. */
    private static Optional<String> decryptionVerdict(Mail mail) {
        Optional<String> reason = SmimeAttributes.get(mail, SmimeAttributes.DECRYPTION_REASON);
        return SmimeAttributes.get(mail, SmimeAttributes.DECRYPTION)
                .map(status -> reason.map(r -> status + " (" + r + ")").orElse(status));
    }

    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("[\\r\\n]+");

    private static void put(MimeMessage message, String header, Optional<String> value) throws MessagingException {
        message.removeHeader(header);
        if (value.isPresent() && !value.get().isBlank()) {
            String v = LINE_BREAKS.matcher(value.get()).replaceAll(" ");
            if (v.length() > MAX_VALUE_LENGTH) {
                v = v.substring(0, MAX_VALUE_LENGTH) + "...";
            }
            try {
                v = MimeUtility.encodeText(v, "UTF-8", null);
            } catch (java.io.UnsupportedEncodingException e) {
                // UTF-8 is always there
            }
            if (header.length() + 2 + v.length() > MAX_LINE_LENGTH) {
                // only past RFC 5322's limit: a folded line reads with a doubled space where a reader joins lines
                v = MimeUtility.fold(header.length() + 2, v);
            }
            message.setHeader(header, v);
        }
    }
}
