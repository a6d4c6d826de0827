package org.smimegw.gateway.spool;

import java.nio.file.Path;

/**
 * A spool entry whose files are there but cannot be understood: an envelope that does not parse, content without
 * an envelope. Not a temporary failure: reading it again gives the same result, so the owning gateway moves it to
 * {@link SpoolArea#CORRUPT}.
 */
public final class UnreadableEntryException extends SpoolException {
    private final String id;
    private final SpoolArea area;
    private final String reason;

    /** {@code file} is the file that cannot be understood (named in the message, for the operator). */
    UnreadableEntryException(String id, SpoolArea area, Path file, String reason, Throwable cause) {
        super("spool entry " + id + " in " + area.directoryName() + " cannot be read (" + file + "): " + reason, cause);
        this.id = id;
        this.area = area;
        this.reason = reason;
    }

    public String id() {
        return id;
    }

    public SpoolArea area() {
        return area;
    }

    /** What is wrong with it, one line. */
    public String reason() {
        return reason;
    }
}
