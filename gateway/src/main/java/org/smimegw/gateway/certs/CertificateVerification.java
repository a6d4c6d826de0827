package org.smimegw.gateway.certs;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.ImportException;
import org.smimegw.certstore.importer.ParsedFile;

/**
 * "Is this certificate good for signing / encrypting?" as {@code certs verify} and the console ask it: the
 * certificates the store holds for an address, or the certificate in a file, validated against the trust collection
 * (path, validity, key usage, extended key usage, address, key strength, revocation).
 */
public final class CertificateVerification {
    private final CertificateStore lookups;
    private final CertificateValidator validator;

    /**
     * @param lookups   the store the mailets use (file store, directory, token)
     * @param validator the validator over the trust collection
     */
    public CertificateVerification(CertificateStore lookups, CertificateValidator validator) {
        this.lookups = lookups;
        this.validator = validator;
    }

    /**
     * The store's certificates for {@code address}: for {@link Purpose#SIGN} the signing key's certificate (else the
     * published ones), for {@link Purpose#ENCRYPT} every certificate to encrypt to.
     *
     * @throws NoSuchElementException        when the store holds none
     * @throws DirectoryUnavailableException when the directory could not be asked
     */
    public List<ValidationResult> address(String address, Purpose purpose, Instant at)
            throws DirectoryUnavailableException {
        List<ValidationResult> results = new ArrayList<>();
        UserKey key = purpose == Purpose.SIGN ? lookups.signingKey(address).orElse(null) : null;
        if (key != null) {
            results.add(validator.validate(key.certificate(), key.chain(), purpose, address, at));
        } else {
            for (PublishedCertificate c : lookups.encryptionCertificates(address)) {
                results.add(validator.validate(c.certificate(), c.chain(), purpose, address, at));
            }
        }
        if (results.isEmpty()) {
            throw new NoSuchElementException("no certificate for " + address + " in the store");
        }
        return results;
    }

    /**
     * The first end-entity certificate in {@code content} (any format the importer reads); the file's other
     * certificates serve as intermediates.
     *
     * @param address the address the certificate must name, or null
     * @throws ImportException when the content is no certificate file
     * @throws NoSuchElementException when it holds no certificate
     */
    public ValidationResult file(String name, byte[] content, Purpose purpose, String address, Instant at)
            throws ImportException {
        ParsedFile parsed = new CertificateFileParser().parse(content, null);
        X509Certificate ee = parsed.certificates().stream().filter(c -> c.getBasicConstraints() < 0).findFirst()
                .orElse(parsed.certificates().isEmpty() ? null : parsed.certificates().get(0));
        if (ee == null) {
            throw new NoSuchElementException(name + " holds no certificate");
        }
        List<X509Certificate> others = parsed.certificates().stream().filter(c -> !c.equals(ee)).toList();
        return validator.validate(ee, others, purpose, address, at);
    }
}
