package org.smimegw.gateway.cli.certs;

/** An error the user can act on; printed as one line, exit code 1. */
final class CliError extends RuntimeException {
    CliError(String message) {
        super(message);
    }

    CliError(String message, Throwable cause) {
        super(message, cause);
    }
}
