package org.smimegw.gateway.cli;

import picocli.CommandLine;

/** A {@code host:port} option value ({@code [::1]:25} for IPv6); the port defaults when left out. */
public record HostAndPort(String host, int port) {

    public static HostAndPort parse(String text, int defaultPort) {
        String host = text;
        int port = defaultPort;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' is not host:port");
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                port = parsePort(text, text.substring(close + 1).replaceFirst("^:", ""));
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = parsePort(text, text.substring(text.indexOf(':') + 1));
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' names no host");
        }
        return new HostAndPort(host, port);
    }

    private static int parsePort(String text, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid port (1-65535)");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Picocli converter with SMTP's submission-free default port 25. */
    static final class SmtpConverter implements CommandLine.ITypeConverter<HostAndPort> {
        @Override
        public HostAndPort convert(String value) {
            try {
                return parse(value, 25);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
