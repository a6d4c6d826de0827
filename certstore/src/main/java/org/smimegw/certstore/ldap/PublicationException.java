package org.smimegw.certstore.ldap;

/** A user's certificates cannot be published: no directory entry, or more than one, matches the address. */
public final class PublicationException extends Exception {
    PublicationException(String message) {
        super(message);
    }
}
