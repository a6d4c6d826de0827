package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;

/**
 * The one place that decides which header fields of decrypted content reach the header block of the message
 * delivered in its place. The outer header block stays authoritative: every outer field except the outer entity's
 * own {@code Content-*} and {@code MIME-Version} is kept as it came, in its order. From the content only its
 * {@code Content-*} fields are taken, because they describe the body that follows; each name once (the first), and
 * only a line that is a well-formed field. Everything else inside the content ({@code From}, {@code To},
 * {@code Subject}, {@code Date}, {@code Message-ID}, {@code X-SMIME-*}, lines that are no field at all) is dropped:
 * decrypted bytes (from malleable CBC above all) must not add, duplicate or replace a header a person or a filter
 * trusts.
 * <p>
 * RFC 9788 header protection plugs in here: a protected header section of authenticated content is the only thing
 * that may ever replace outer fields, and the decision belongs in this class.
 */
public final class DeliveredHeaders {

    private static final byte[] CRLF = {'\r', '\n'};
    /** RFC 5322 field-name: printable US-ASCII except the colon. */
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");

    private DeliveredHeaders() {
    }

    /**
     * Writes the header block (without the blank line that ends it) of the message whose body becomes
     * {@code content}'s body: the outer fields, {@code MIME-Version: 1.0}, then {@code content}'s Content-* fields.
     */
    static void write(MimeMessage outer, MimePart content, OutputStream out) throws IOException, MessagingException {
        Enumeration<String> outerLines = outer.getAllHeaderLines();
        while (outerLines.hasMoreElements()) {
            String line = outerLines.nextElement();
            String name = fieldName(line);
            if (name != null && !describesOuterEntity(name)) {
                writeLine(line, out);
            }
        }
        writeLine("MIME-Version: 1.0", out);
        Set<String> seen = new HashSet<>();
        Enumeration<String> contentLines = content.getAllHeaderLines();
        while (contentLines.hasMoreElements()) {
            String line = contentLines.nextElement();
            String name = fieldName(line);
            if (name != null && fromContent(name) && seen.add(name.toLowerCase(Locale.ROOT))) {
                writeLine(line, out);
            }
        }
    }

    /** Whether a field of the content may reach the delivered header block: its Content-* fields only. */
    static boolean fromContent(String name) {
        return isContentField(name);
    }

    /** The outer fields that describe the outer (encrypted) entity and so give way to the content's. */
    private static boolean describesOuterEntity(String name) {
        return isContentField(name) || name.equalsIgnoreCase("MIME-Version");
    }

    private static boolean isContentField(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("content-");
    }

    /** The field name of a header line, or null when the line is not a well-formed field ("name: value"). */
    private static String fieldName(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String name = line.substring(0, colon).stripTrailing();
        return FIELD_NAME.matcher(name).matches() ? name : null;
    }

    /**
     * Writes a line as Jakarta Mail read it: without {@code mail.mime.allowutf8} each char is one byte of the
     * original, so writing it back as ISO-8859-1 keeps the bytes; a char beyond that (a value set in Unicode) is
     * written as UTF-8.
     */
    private static void writeLine(String line, OutputStream out) throws IOException {
        boolean latin1 = line.chars().allMatch(c -> c <= 0xFF);
        out.write(line.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        out.write(CRLF);
    }
}
