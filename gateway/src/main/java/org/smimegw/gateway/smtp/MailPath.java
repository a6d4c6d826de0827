package org.smimegw.gateway.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of MAIL FROM: / RCPT TO: after the colon: {@code <address> [KEY[=VALUE] ...]}. Parameter keys are
 * upper-cased, a parameter without value maps to "". A source route ({@code <@a,@b:user@c>}) is dropped.
 */
record MailPath(String address, Map<String, String> parameters) {
    private static final int MAX_ADDRESS = 320;

    /** Parses, or returns null when the syntax is wrong. */
    static MailPath parse(String s) {
        String rest = s.strip();
        String address;
        if (rest.startsWith("<")) {
            int end = rest.indexOf('>');
            if (end < 0) {
                return null;
            }
            address = rest.substring(1, end);
            rest = rest.substring(end + 1);
        } else {
            int sp = rest.indexOf(' ');
            address = sp < 0 ? rest : rest.substring(0, sp);
            rest = sp < 0 ? "" : rest.substring(sp);
        }
        if (address.startsWith("@")) {
            int colon = address.indexOf(':');
            if (colon < 0) {
                return null;
            }
            address = address.substring(colon + 1);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : rest.strip().split("\\s+")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (!key.matches("[A-Z0-9][A-Z0-9-]*")) {
                return null;
            }
            params.put(key, eq < 0 ? "" : p.substring(eq + 1));
        }
        return new MailPath(address, Map.copyOf(params));
    }

    /** A plausible mailbox: local part, optional @domain, no white space, brackets or control characters. */
    static boolean isPlausibleMailbox(String address) {
        if (address.isEmpty() || address.length() > MAX_ADDRESS) {
            return false;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= ' ' || c == 127 || c == '<' || c == '>' || c == ',') {
                return false;
            }
        }
        int at = address.lastIndexOf('@');
        return at != 0 && at != address.length() - 1;
    }

    /** The lower-cased domain after the last '@', or "" when there is none. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
