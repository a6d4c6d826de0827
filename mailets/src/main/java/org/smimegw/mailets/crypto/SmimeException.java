package org.smimegw.mailets.crypto;

/** Producing S/MIME failed (bad key, I/O on the temporary file, unsupported certificate). */
public class SmimeException extends Exception {
    public SmimeException(String message, Throwable cause) {
        super(message, cause);
    }

    public SmimeException(String message) {
        super(message);
    }
}
