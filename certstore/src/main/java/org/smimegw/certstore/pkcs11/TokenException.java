package org.smimegw.certstore.pkcs11;

/**
 * The PKCS#11 token cannot be used: module not found, token not found, wrong PIN, token removed... The message
 * says which, naming the module and the token, and is meant to be shown to the admin as it is.
 */
public class TokenException extends RuntimeException {
    public TokenException(String message) {
        super(message);
    }

    public TokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
