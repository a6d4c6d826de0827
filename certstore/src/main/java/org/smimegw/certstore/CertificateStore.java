package org.smimegw.certstore;

import java.util.List;
import java.util.Optional;

/**
 * The three questions the S/MIME mailets ask, answered from the embedded store, the directory and harvested
 * certificates. Implementations are safe for concurrent use. Addresses are compared case-insensitively.
 */
public interface CertificateStore {

    /**
     * Every certificate published for {@code address}, newest first; empty when there is none.
     * The caller validates them for {@link Purpose#ENCRYPT} (see {@link CertificateValidator}) and takes the first valid one.
     *
     * @throws DirectoryUnavailableException when a source could not be asked: the answer is unknown, not "none"
     */
    List<PublishedCertificate> encryptionCertificates(String address) throws DirectoryUnavailableException;

    /** The key and certificate that sign for {@code address}; empty when the gateway holds none. */
    Optional<UserKey> signingKey(String address);

    /** Every decryption key held for {@code address}, current one first, old ones kept for old mail. */
    List<UserKey> decryptionKeys(String address);

    /** The current trust collection (roots, intermediates, CRLs). */
    TrustCollection trust();

    /** Records a signer's certificate from a verified incoming signature. */
    void harvest(HarvestedCertificate certificate) throws DirectoryUnavailableException;
}
