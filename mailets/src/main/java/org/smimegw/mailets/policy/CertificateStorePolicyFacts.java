package org.smimegw.mailets.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.mailets.SigningKeys;

/**
 * {@link PolicyFacts} answered by the certificate store and validator: the signing key must have a certificate valid
 * for signing; the recipient's first published certificate valid for encryption is used. A revocation status that
 * cannot be determined is, under the validator's soft-fail, a warning: the certificate counts, marked
 * {@link RevocationStatus#UNKNOWN}, and the pair's OWACheckCRLOnSend decides; under hard-fail it is reported as
 * {@link RecipientCertificateFact.DirectoryUnavailable} (transient: deferred, never refused or sent in clear).
 */
public final class CertificateStorePolicyFacts implements PolicyFacts {

    private final CertificateStore store;
    private final CertificateValidator validator;
    private final SigningKeys signingKeys;
    private final Predicate<String> internal;
    private final Clock clock;

    public CertificateStorePolicyFacts(CertificateStore store, CertificateValidator validator,
                                       Predicate<String> isInternal, Clock clock) {
        this.store = store;
        this.validator = validator;
        this.signingKeys = new SigningKeys(store, validator);
        this.internal = isInternal;
        this.clock = clock;
    }

    /** An internal-address test from a set of domains (exact, or {@code *.example.com} for subdomains). */
    public static Predicate<String> domains(Set<String> domains) {
        List<String> exact = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String d : domains) {
            String l = d.toLowerCase(Locale.ROOT);
            if (l.startsWith("*.")) {
                suffixes.add(l.substring(1));
            } else {
                exact.add(l);
            }
        }
        return address -> {
            String domain = PolicySet.domainOf(PolicySet.normalize(address));
            return exact.contains(domain) || suffixes.stream().anyMatch(domain::endsWith);
        };
    }

    @Override
    public boolean isInternal(String address) {
        return internal.test(address);
    }

    @Override
    public SigningKeyFact signingKey(String address) {
        return switch (signingKeys.find(address, clock.instant())) {
            case SigningKeys.Usable u -> SigningKeyFact.Usable.of(u.key());
            case SigningKeys.Missing m -> new SigningKeyFact.Missing("the gateway holds no signing key for " + address);
            case SigningKeys.Invalid i -> new SigningKeyFact.Missing("its certificate "
                    + CertificateSummary.of(i.key().certificate()) + " is not valid for signing: "
                    + i.validation().failures());
        };
    }

    @Override
    public RecipientCertificateFact recipientCertificate(String address) {
        List<PublishedCertificate> published;
        try {
            published = store.encryptionCertificates(address);
        } catch (DirectoryUnavailableException e) {
            return new RecipientCertificateFact.DirectoryUnavailable(e.getMessage());
        }
        if (published.isEmpty()) {
            return new RecipientCertificateFact.None("no certificate published for " + address);
        }
        List<String> rejected = new ArrayList<>();
        String revocationUnknown = null;
        for (PublishedCertificate p : published) {
            ValidationResult r = validator.validate(p.certificate(), p.chain(), Purpose.ENCRYPT, address,
                    clock.instant());
            if (r.isValid()) {
                // soft-fail: an undeterminable revocation status is a warning; OWACheckCRLOnSend decides per pair
                return new RecipientCertificateFact.Valid(CertificateSummary.of(p.certificate()), p.capabilities(),
                        r.hasWarning(ValidationFailure.Reason.REVOCATION_UNKNOWN) ? RevocationStatus.UNKNOWN
                                : RevocationStatus.GOOD);
            }
            if (revocationUnknown == null && r.failures().stream()
                    .allMatch(f -> f.reason() == ValidationFailure.Reason.REVOCATION_UNKNOWN)) {
                revocationUnknown = CertificateSummary.of(p.certificate()).serial() + ": " + r.failures();
            }
            rejected.add(CertificateSummary.of(p.certificate()).serial() + " (from " + p.source() + "): "
                    + r.failures());
        }
        if (revocationUnknown != null) {
            // hard-fail and only the revocation status is missing: transient, like an unreachable directory
            return new RecipientCertificateFact.DirectoryUnavailable("revocation status of " + address
                    + "'s certificate cannot be determined (" + revocationUnknown + ")");
        }
        return new RecipientCertificateFact.None("no valid certificate for " + address + ": "
                + String.join("; ", rejected));
    }
}
