package org.smimegw.mailets.config;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A configuration file that cannot be used ({@code gateway.yaml}, {@code mailetcontainer.xml}, {@code policy.yaml}):
 * the file, the line when the problem is at one, and the reason, so that an admin can fix it without a stack trace.
 * The message is {@code FILE:LINE: REASON}, or {@code FILE: REASON} when no line applies (the file is missing or
 * unreadable, the parser could not tell where). Startup errors, refused reloads and the command line print it as is.
 */
public class ConfigFileException extends Exception {
    /**
     * A line break (also Unicode's NEL, line and paragraph separators) or other control character, with the spaces
     * around it (the next line's indentation).
     */
    private static final Pattern CONTROL =
            Pattern.compile(" *[\\p{Cntrl}\\u0085\\u2028\\u2029][\\s\\u0085\\u2028\\u2029]*");

    private final String file;
    private final OptionalInt line;
    private final String reason;

    /** A problem with the file as a whole: no line. */
    public ConfigFileException(String file, String reason) {
        this(file, OptionalInt.empty(), reason, null);
    }

    /** A problem with the file as a whole: no line. */
    public ConfigFileException(String file, String reason, Throwable cause) {
        this(file, OptionalInt.empty(), reason, cause);
    }

    /** @param line 1-based; below 1 (what parsers report when they cannot tell) means no line */
    public ConfigFileException(String file, int line, String reason) {
        this(file, line, reason, null);
    }

    /** @param line 1-based; below 1 (what parsers report when they cannot tell) means no line */
    public ConfigFileException(String file, int line, String reason, Throwable cause) {
        this(file, line > 0 ? OptionalInt.of(line) : OptionalInt.empty(), reason, cause);
    }

    private ConfigFileException(String file, OptionalInt line, String reason, Throwable cause) {
        super(format(file, line, oneLine(reason)), cause);
        this.file = file;
        this.line = line;
        this.reason = oneLine(reason);
    }

    /**
     * The reason on one line: parsers quote the input they choke on, line breaks and control characters included;
     * each of them, with the spaces around it, becomes one space.
     */
    private static String oneLine(String reason) {
        return CONTROL.matcher(reason).replaceAll(" ").strip();
    }

    /** {@code FILE:LINE: REASON}, or {@code FILE: REASON} without a line. */
    private static String format(String file, OptionalInt line, String reason) {
        return file + (line.isPresent() ? ":" + line.getAsInt() : "") + ": " + reason;
    }

    public String file() {
        return file;
    }

    /** The 1-based line the problem is at; empty when it is not at one. */
    public OptionalInt line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
