package org.smimegw.gateway.container;

/**
 * A mailet container configuration that cannot be used: names the file, the line (1-based, 0 when unknown) and
 * the reason, so the gateway refuses to start with one clear message.
 */
public class ContainerConfigException extends Exception {
    private final String file;
    private final int line;
    private final String reason;

    public ContainerConfigException(String file, int line, String reason) {
        this(file, line, reason, null);
    }

    public ContainerConfigException(String file, int line, String reason, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** 1-based line of the offending element, 0 when the location is not known. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
