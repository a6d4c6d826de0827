package org.smimegw.mailets;

import java.time.Instant;
import java.util.Optional;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.mailets.crypto.Capabilities;

/** Finds the certificate to encrypt to for an address: the first published one that validates for ENCRYPT now. */
public final class RecipientCertificates {

    private final CertificateStore store;
    private final CertificateValidator validator;

    public RecipientCertificates(CertificateStore store, CertificateValidator validator) {
        this.store = store;
        this.validator = validator;
    }

    /**
     * @throws DirectoryUnavailableException when a source could not be asked; the caller must not treat the
     *                                       address as having no certificate
     */
    public Optional<PublishedCertificate> find(String address, Instant now) throws DirectoryUnavailableException {
        for (PublishedCertificate c : store.encryptionCertificates(address)) {
            if (validator.validate(c.certificate(), c.chain(), Purpose.ENCRYPT, address, now).isValid()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** What the recipient announced: harvested capabilities, else the certificate's SMIMECapabilities extension. */
    public static SmimeCapabilities capabilities(PublishedCertificate certificate) {
        return certificate.capabilities().isKnown() ? certificate.capabilities()
                : Capabilities.fromCertificate(certificate.certificate());
    }
}
