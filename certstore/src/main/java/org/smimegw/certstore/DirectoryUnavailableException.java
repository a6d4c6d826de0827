package org.smimegw.certstore;

/**
 * A certificate source could not be asked (directory down, timeout, I/O). Transient: the caller defers the
 * message instead of treating the address as having no certificate, so nothing is ever downgraded to clear text.
 */
public class DirectoryUnavailableException extends Exception {
    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DirectoryUnavailableException(String message) {
        super(message);
    }
}
