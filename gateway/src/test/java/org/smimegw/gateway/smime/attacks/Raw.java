package org.smimegw.gateway.smime.attacks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * Messages as the attacker writes them: a String with one char per byte (ISO-8859-1) and CRLF line ends, so that
 * what is signed or encrypted goes out byte for byte.
 */
final class Raw {

    static final String CRLF = "\r\n";
    private static final Session SESSION = Session.getInstance(new Properties());

    private Raw() {
    }

    /** A message's bytes as written. */
    static String of(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(SESSION, new ByteArrayInputStream(bytes(raw)));
    }

    static byte[] bytes(String raw) {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Lines joined with CRLF, plus a final CRLF. */
    static String lines(String... lines) {
        return String.join(CRLF, lines) + CRLF;
    }

    /** The header block (without the blank line). */
    static String headers(String raw) {
        return raw.substring(0, raw.indexOf(CRLF + CRLF));
    }

    /** What follows the blank line after the headers. */
    static String body(String raw) {
        return raw.substring(raw.indexOf(CRLF + CRLF) + 4);
    }

    /** The header fields (each with its folded continuation lines) in order. */
    static List<String> fields(String raw) {
        List<String> out = new ArrayList<>();
        for (String line : headers(raw).split(CRLF)) {
            if (!out.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) {
                out.set(out.size() - 1, out.get(out.size() - 1) + CRLF + line);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    /** The message's content as a MIME entity: its Content-* fields, a blank line and its body. */
    static String entity(String raw) {
        StringBuilder out = new StringBuilder();
        for (String field : fields(raw)) {
            if (field.toLowerCase(Locale.ROOT).startsWith("content-")) {
                out.append(field).append(CRLF);
            }
        }
        return out.append(CRLF).append(body(raw)).toString();
    }

    /** {@code outerFields} (CRLF-terminated lines) as the header block of the entity. */
    static String message(String outerFields, String entity) {
        return outerFields + "MIME-Version: 1.0" + CRLF + entity;
    }

    /** The message with {@code field} (e.g. "X-Attack-Case: c1") added on top of its header block. */
    static String prepend(String field, String raw) {
        return field + CRLF + raw;
    }

    /** The message without the header fields whose name is {@code name} (any case). */
    static String without(String name, String raw) {
        StringBuilder out = new StringBuilder();
        for (String field : fields(raw)) {
            if (!field.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                out.append(field).append(CRLF);
            }
        }
        return out.append(CRLF).append(body(raw)).toString();
    }

    /** The message with its header fields named {@code name} replaced by {@code field} (in the first one's place). */
    static String replace(String name, String field, String raw) {
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String f : fields(raw)) {
            if (f.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                if (!done && field != null) {
                    out.append(field).append(CRLF);
                }
                done = true;
            } else {
                out.append(f).append(CRLF);
            }
        }
        return out.append(CRLF).append(body(raw)).toString();
    }

    /** A multipart body part: the part's header fields and body. */
    static String part(String fields, String body) {
        return fields + CRLF + body;
    }

    /**
     * A multipart entity of {@code subtype} with these parts (each an entity: fields, blank line, body), each part
     * exactly as given (what a clear signature over it covers).
     */
    static String multipart(String subtype, String boundary, String... parts) {
        StringBuilder out = new StringBuilder("Content-Type: multipart/" + subtype + "; boundary=\"" + boundary + "\""
                + CRLF + CRLF + "This is a multi-part message in MIME format." + CRLF);
        for (String p : parts) {
            // the CRLF before the next delimiter belongs to the delimiter: the part is exactly p
            out.append("--").append(boundary).append(CRLF).append(p).append(CRLF);
        }
        return out.append("--").append(boundary).append("--").append(CRLF).toString();
    }
}
