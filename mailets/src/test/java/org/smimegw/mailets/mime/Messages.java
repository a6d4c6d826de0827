package org.smimegw.mailets.mime;

/** Messages with a chosen MIME structure, as the tests of the limits and of memory use need them. */
public final class Messages {
    private Messages() {
    }

    /** A multipart/mixed with {@code parts} small text parts. */
    public static String manyParts(int parts) {
        StringBuilder b = new StringBuilder(head("parts " + parts)).append("Content-Type: multipart/mixed; ")
                .append("boundary=\"many\"\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            b.append("--many\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        return b.append("--many--\r\n").toString();
    }

    /** Multiparts nested {@code depth} levels deep around one text part (which is at depth {@code depth}). */
    public static String nested(int depth) {
        StringBuilder b = new StringBuilder(head("nested " + depth));
        for (int i = 0; i < depth; i++) {
            b.append("Content-Type: multipart/mixed; boundary=\"d").append(i).append("\"\r\n\r\n--d").append(i)
                    .append("\r\n");
        }
        b.append("Content-Type: text/plain\r\n\r\ninnermost\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            b.append("--d").append(i).append("--\r\n");
        }
        return b.toString();
    }

    /** A multipart/mixed whose second part has a header section of about {@code bytes}. */
    public static String largePartHeader(int bytes) {
        StringBuilder filler = new StringBuilder();
        while (filler.length() < bytes) {
            filler.append("X-Filler: 0123456789012345678901234567890123456789\r\n");
        }
        return head("large part header") + "Content-Type: multipart/mixed; boundary=\"h\"\r\n\r\n"
                + "--h\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                + "--h\r\n" + filler + "Content-Type: text/plain\r\n\r\nsecond\r\n--h--\r\n";
    }

    private static String head(String subject) {
        return "From: alice@example.com\r\nTo: bob@example.org\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@example.com>\r\nMIME-Version: 1.0\r\n";
    }
}
