package org.smimegw.mailets.testing;

import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.mailets.crypto.Certificates;

/** A minimal PKIX validator over the JDK for tests (no revocation), until the certstore's validator lands. */
public final class JdkPkixValidator implements CertificateValidator {

    private final TrustCollection trust;

    public JdkPkixValidator(TrustCollection trust) {
        this.trust = trust;
    }

    @Override
    public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> supplied, Purpose purpose,
                                     String address, Instant at) {
        List<ValidationFailure> failures = new ArrayList<>();
        List<X509Certificate> path = List.of();
        try {
            certificate.checkValidity(Date.from(at));
        } catch (CertificateExpiredException e) {
            failures.add(new ValidationFailure(ValidationFailure.Reason.EXPIRED, "expired " + certificate.getNotAfter()));
        } catch (CertificateNotYetValidException e) {
            failures.add(new ValidationFailure(ValidationFailure.Reason.NOT_YET_VALID, "valid from " + certificate.getNotBefore()));
        }
        boolean[] ku = certificate.getKeyUsage();
        if (ku != null) {
            boolean ok = purpose == Purpose.SIGN ? (ku[0] || ku[1]) : (ku[2] || ku[4]);
            if (!ok) {
                failures.add(new ValidationFailure(ValidationFailure.Reason.KEY_USAGE, "key usage does not allow " + purpose));
            }
        }
        if (address != null && !Certificates.hasAddress(certificate, address)) {
            failures.add(new ValidationFailure(ValidationFailure.Reason.ADDRESS_MISMATCH, "not for " + address));
        }
        try {
            Set<TrustAnchor> anchors = trust.roots().stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet());
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            List<Object> pool = new ArrayList<>(trust.intermediates());
            pool.addAll(supplied);
            pool.add(certificate);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> p = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> p.add((X509Certificate) c));
            p.add(result.getTrustAnchor().getTrustedCert());
            path = p;
        } catch (CertPathBuilderException e) {
            if (failures.stream().noneMatch(f -> f.reason() == ValidationFailure.Reason.EXPIRED
                    || f.reason() == ValidationFailure.Reason.NOT_YET_VALID)) {
                failures.add(new ValidationFailure(ValidationFailure.Reason.NO_PATH_TO_TRUST_ANCHOR, String.valueOf(e.getMessage())));
            }
        } catch (Exception e) {
            failures.add(new ValidationFailure(ValidationFailure.Reason.NO_PATH_TO_TRUST_ANCHOR, String.valueOf(e.getMessage())));
        }
        return new ValidationResult(certificate, purpose, path, failures);
    }
}
