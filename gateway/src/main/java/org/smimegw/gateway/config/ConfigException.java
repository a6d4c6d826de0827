package org.smimegw.gateway.config;

/**
 * The configuration cannot be used. Names the file, the line (1-based; 0 when no line applies, e.g. the file
 * is missing) and the reason, so that an admin can fix it without reading a stack trace.
 */
public class ConfigException extends Exception {
    private final String file;
    private final int line;
    private final String reason;

    public ConfigException(String file, int line, String reason) {
        this(file, line, reason, null);
    }

    public ConfigException(String file, int line, String reason, Throwable cause) {
        super(format(file, line, reason), cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    private static String format(String file, int line, String reason) {
        return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
