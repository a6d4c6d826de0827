package org.smimegw.certstore.importer;

/** A PKCS#12 file or encrypted PEM key could not be opened with the password given. */
public class WrongPasswordException extends ImportException {
    public WrongPasswordException(String message, Throwable cause) {
        super(message, cause);
    }
}
