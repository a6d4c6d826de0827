package org.smimegw.mailets.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** Builds small test messages. */
public final class TestMessages {

    private static final Session SESSION = Session.getInstance(new Properties());

    private TestMessages() {
    }

    public static String text(String from, String to, String subject, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + System.nanoTime() + "@test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + body.replace("\n", "\r\n") + "\r\n";
    }

    public static MimeMessage parse(String raw) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    public static MimeMessage read(Path file) throws MessagingException, IOException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    public static MimeMessage simple(String from, String to, String subject, String body) throws MessagingException {
        return parse(text(from, to, subject, body));
    }

    /** A multipart/mixed message with a text part and a binary attachment of {@code attachmentBytes} bytes. */
    public static MimeMessage withAttachment(String from, String to, int attachmentBytes) throws MessagingException {
        StringBuilder b64 = new StringBuilder();
        byte[] data = new byte[attachmentBytes];
        new java.util.Random(1).nextBytes(data);
        String enc = java.util.Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data);
        b64.append(enc);
        String raw = "From: " + from + "\r\nTo: " + to + "\r\nSubject: attachment\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                + "see attached\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=data.bin\r\n\r\n"
                + b64 + "\r\n--b1--\r\n";
        return parse(raw);
    }

    public static byte[] bytes(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    public static Path write(MimeMessage message, Path file) throws IOException, MessagingException {
        try (var out = Files.newOutputStream(file)) {
            message.writeTo(out);
        }
        return file;
    }
}
