package org.smimegw.gateway.smtp;

import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;

import org.apache.james.core.MailAddress;

/**
 * The argument of MAIL FROM: / RCPT TO: after the colon (RFC 5321 section 4.1.2):
 * {@code <mailbox>} (or {@code <>}) followed by parameters {@code KEYWORD[=value]}, each after a space. Keywords are
 * upper-cased, a parameter without a value maps to "". A source route ({@code <@a,@b:user@c>}) is dropped. Spaces
 * between the colon and the path are tolerated (many clients send them).
 */
record MailPath(String address, Map<String, String> parameters) {
    private static final int MAX_ADDRESS = 320;
    /** esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"), upper-cased here. */
    private static final Pattern KEYWORD = Pattern.compile("[A-Z0-9][A-Z0-9-]{0,63}");
    /** esmtp-value = 1*(%d33-60 / %d62-126): printable ASCII without "=" and space. */
    private static final Pattern VALUE = Pattern.compile("[\\x21-\\x3c\\x3e-\\x7e]+");

    /** Why an argument was refused: a path that is not {@code <mailbox>}, or a malformed or repeated parameter. */
    static final class InvalidException extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String keyword;

        private InvalidException(String message, String keyword) {
            super(message);
            this.keyword = keyword;
        }

        /** True when the path itself is wrong; false when a parameter is. */
        boolean inPath() {
            return keyword == null;
        }

        /** The keyword of the offending parameter, "" when the parameter has no valid keyword at all. */
        String keyword() {
            return keyword;
        }
    }

    /** Parses the argument after {@code FROM:} or {@code TO:}. */
    static MailPath parse(String argument) throws InvalidException {
        String s = argument.stripLeading();
        if (!s.startsWith("<")) {
            throw new InvalidException("path without angle brackets", null);
        }
        int end = closingBracket(s);
        if (end < 0) {
            throw new InvalidException("path without closing bracket", null);
        }
        String address = s.substring(1, end);
        if (address.startsWith("@")) {
            int colon = address.indexOf(':');
            if (colon < 0) {
                throw new InvalidException("source route without colon", null);
            }
            address = address.substring(colon + 1);
        }
        String rest = s.substring(end + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') {
            throw new InvalidException("text after the path", null);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String p : rest.strip().split(" +")) {
            if (!p.isEmpty()) {
                parameter(p, parameters);
            }
        }
        return new MailPath(address, Map.copyOf(parameters));
    }

    /** {@code esmtp-keyword ["=" esmtp-value]} (RFC 5321 section 4.1.2), each keyword at most once. */
    private static void parameter(String p, Map<String, String> parameters) throws InvalidException {
        int eq = p.indexOf('=');
        String keyword = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
        if (!KEYWORD.matcher(keyword).matches()) {
            throw new InvalidException("malformed parameter keyword", "");
        }
        String value = eq < 0 ? "" : p.substring(eq + 1);
        if (eq >= 0 && !VALUE.matcher(value).matches()) {
            throw new InvalidException("malformed value of " + keyword, keyword);
        }
        if (parameters.putIfAbsent(keyword, value) != null) {
            throw new InvalidException(keyword + " given twice", keyword);
        }
    }

    /** Index of the '>' that ends the path, skipping quoted strings of the local part; -1 if there is none. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True for a mailbox as RFC 5321 defines it ({@code local-part@domain}, ASCII, no spaces or brackets) that the
     * pipeline can carry as a {@link MailAddress}.
     */
    static boolean isMailbox(String address) {
        if (address.isEmpty() || address.length() > MAX_ADDRESS) {
            return false;
        }
        try {
            new MailAddress(address);
            return true;
        } catch (AddressException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The lower-cased domain after the last '@', or "" when there is none. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
