package org.smimegw.gateway.spool;

import java.io.IOException;

/** The spool could not store or read a message (disk full, I/O error). Transient for the SMTP client: 451 4.3.0. */
public class SpoolException extends IOException {
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
