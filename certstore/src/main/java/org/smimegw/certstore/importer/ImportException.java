package org.smimegw.certstore.importer;

/** A file could not be read as any supported format, or is damaged; the message is one line for the admin. */
public class ImportException extends Exception {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
