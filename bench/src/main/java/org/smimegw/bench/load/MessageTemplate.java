package org.smimegw.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one test message, generated once per size, with its envelope. The generator prepends a per-message
 * {@code X-Bench-Id:} header and sends {@link #content()} after it, so the content must be a valid RFC 5322 message
 * with CRLF line ends and no line starting with a dot (it is sent without dot-stuffing).
 *
 * @param sender     the MAIL FROM address
 * @param recipients the RCPT TO addresses
 * @param content    header section and body, CRLF line ends, ending in CRLF
 */
public record MessageTemplate(String sender, List<String> recipients, byte[] content) {

    public static final String INTERNAL_SENDER = "alice@example.com";
    public static final String PARTNER_DOMAIN = "partner.example";

    public MessageTemplate {
        recipients = List.copyOf(recipients);
    }

    /** The k recipients user1..userk at partner.example. */
    public static List<String> partnerRecipients(int k) {
        List<String> list = new ArrayList<>();
        for (int i = 1; i <= k; i++) {
            list.add("user" + i + "@" + PARTNER_DOMAIN);
        }
        return list;
    }

    /**
     * A plain text/plain message of about {@code size} bytes from alice@example.com (an internal sender) to
     * {@code recipients}.
     */
    public static MessageTemplate plain(int size, List<String> recipients) {
        return plain(INTERNAL_SENDER, recipients, size);
    }

    public static MessageTemplate plain(String sender, List<String> recipients, int size) {
        StringBuilder h = new StringBuilder();
        h.append("From: ").append(sender).append("\r\n");
        h.append("To: ").append(String.join(",\r\n ", recipients)).append("\r\n");
        h.append("Subject: benchmark message of ").append(size).append(" bytes\r\n");
        h.append("Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n");
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: text/plain; charset=us-ascii\r\n");
        h.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        int remaining = Math.max(3, size - head.length);
        byte[] out = new byte[head.length + remaining];
        System.arraycopy(head, 0, out, 0, head.length);
        String alphabet = "The quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefgh";
        int p = head.length;
        int n = 0;
        while (remaining > 2) {
            int len = Math.min(76, remaining - 2);
            for (int i = 0; i < len; i++) {
                out[p++] = (byte) alphabet.charAt(n++ % alphabet.length());
            }
            out[p++] = '\r';
            out[p++] = '\n';
            remaining -= len + 2;
        }
        return new MessageTemplate(sender, recipients, java.util.Arrays.copyOf(out, p));
    }

    /**
     * A template from an existing message file (e.g. pre-signed or pre-encrypted mail), normalised to CRLF and
     * dot-stuffed.
     */
    public static MessageTemplate fromFile(Path file, String sender, List<String> recipients) {
        try {
            byte[] raw = Files.readAllBytes(file);
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 50);
            boolean lineStart = true;
            for (int i = 0; i < raw.length; i++) {
                byte b = raw[i];
                if (b == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                    out.write('\r');
                }
                if (lineStart && b == '.') {
                    out.write('.');
                }
                out.write(b);
                lineStart = b == '\n';
            }
            if (!lineStart) {
                out.write('\r');
                out.write('\n');
            }
            return new MessageTemplate(sender, recipients, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() {
        return content.length;
    }
}
