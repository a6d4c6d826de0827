package org.smimegw.mailets.policy;

/**
 * A policy file that cannot be used: it does not parse, names an unknown setting or value, or contradicts itself.
 * The message is {@code FILE:LINE: REASON}, ready for a startup error or a refused {@code reload}.
 */
public class PolicyException extends Exception {
    private final String file;
    private final int line;
    private final String reason;

    public PolicyException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public PolicyException(String file, int line, String reason, Throwable cause) {
        super(file + ":" + line + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** 1-based line number; 0 when the problem is not at a line (file missing or unreadable). */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
