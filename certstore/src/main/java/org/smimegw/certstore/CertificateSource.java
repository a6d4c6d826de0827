package org.smimegw.certstore;

import java.util.List;

/**
 * One place published certificates come from: the embedded file store, an LDAP directory, harvested mail.
 * A {@link CertificateStore} asks its sources in order and merges what they answer.
 */
public interface CertificateSource {

    /** A short name for logs and {@code policy explain}, e.g. "file", "ldap://dc1.example.com". */
    String name();

    /** Certificates published for {@code address}; empty when none. */
    List<PublishedCertificate> lookup(String address) throws DirectoryUnavailableException;
}
