package org.smimegw.gateway.cli;

/** A failure a command reports as one line (no stack trace) with a chosen exit code. */
public class CliException extends Exception {
    private final int exitCode;

    public CliException(String message) {
        this(message, ExitCodes.FAILURE, null);
    }

    public CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
