package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Locale;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** Moves a message's content in and out of S/MIME wrappers without loading it into memory. */
final class MimeMessages {

    private static final byte[] CRLF = {'\r', '\n'};

    private MimeMessages() {
    }

    static boolean isContentHeader(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("content-");
    }

    static boolean isEnvelopeHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("content-") || n.equals("mime-version");
    }

    /** The message's content (Content-* headers, blank line, raw body) as a file-backed body part. */
    static MimeBodyPart contentPart(MimeMessage message, MessageFiles files) throws IOException, MessagingException {
        return files.part(out -> writeContentEntity(message, out));
    }

    static void writeContentEntity(MimeMessage message, OutputStream out) throws IOException, MessagingException {
        Enumeration<String> lines = message.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            int colon = line.indexOf(':');
            if (colon > 0 && isContentHeader(line.substring(0, colon).trim())) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write(CRLF);
            }
        }
        out.write(CRLF);
        try (InputStream raw = message.getRawInputStream()) {
            raw.transferTo(out);
        }
    }

    /**
     * A file-backed message with {@code original}'s non-content headers (From, To, Subject, Message-ID...) and
     * {@code content} as its body.
     */
    static MimeMessage withContent(MimeMessage original, Object content, MessageFiles files)
            throws IOException, MessagingException {
        MimeMessage out = new MessageFiles.PreservingMimeMessage(files.session());
        copyOuterHeaders(original, out);
        if (content instanceof MimeMultipart multipart) {
            out.setContent(multipart);
        } else if (content instanceof MimeBodyPart part) {
            out.setDataHandler(part.getDataHandler());
            Enumeration<Header> headers = part.getAllHeaders();
            while (headers.hasMoreElements()) {
                Header h = headers.nextElement();
                out.setHeader(h.getName(), h.getValue());
            }
        } else {
            throw new IllegalArgumentException("unsupported content " + content);
        }
        out.saveChanges();
        return files.message(out::writeTo);
    }

    /**
     * A file-backed message whose headers are {@code outer}'s non-content headers followed by the content headers
     * and body of {@code entity} (e.g. decrypted or unwrapped content).
     */
    static MimeMessage withEntity(MimeMessage outer, MimeBodyPart entity, MessageFiles files)
            throws IOException, MessagingException {
        return files.message(out -> {
            Enumeration<String> lines = outer.getAllHeaderLines();
            while (lines.hasMoreElements()) {
                String line = lines.nextElement();
                int colon = line.indexOf(':');
                if (colon > 0 && !isEnvelopeHeader(line.substring(0, colon).trim())) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.write(CRLF);
                }
            }
            out.write("MIME-Version: 1.0".getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            entity.writeTo(out);
        });
    }

    static void copyOuterHeaders(MimeMessage from, MimeMessage to) throws MessagingException {
        Enumeration<String> lines = from.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            int colon = line.indexOf(':');
            if (colon > 0 && !isEnvelopeHeader(line.substring(0, colon).trim())) {
                to.addHeaderLine(line);
            }
        }
    }
}
