package org.smimegw.certstore.validation;

import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import javax.security.auth.x500.X500Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationFailure.Reason;
import org.smimegw.certstore.ValidationResult;

/**
 * Validates a certificate for a purpose at a time and reports EVERY reason it fails:
 * <ol>
 * <li>a path to a trust anchor of the collection, through its intermediates and the supplied certificates (issuer
 * name and signature), then checked by the JDK's PKIX {@link CertPathValidator} for basic constraints, name
 * constraints, policies and algorithm constraints (at an instant where the path's certificates are valid, so that
 * validity is reported separately);</li>
 * <li>validity of every certificate of the path at {@code at} (EXPIRED, NOT_YET_VALID);</li>
 * <li>key usage (SIGN: digitalSignature or nonRepudiation; ENCRYPT: keyEncipherment or keyAgreement) and extended key
 * usage (emailProtection, anyExtendedKeyUsage or none);</li>
 * <li>the address in subjectAltName rfc822Name or the subject's emailAddress;</li>
 * <li>the key's strength (RSA/DSA below 2048 bits, EC below 256: WEAK_KEY);</li>
 * <li>revocation of each certificate below the anchor ({@link RevocationChecker}), soft- or hard-fail per config.</li>
 * </ol>
 * The trust anchors and indexes are built once per {@link TrustCollection} instance. Results are kept for a short
 * while ({@link ValidationCache}: 60 s, 10 000 entries by default; a change of the trust collection, e.g. a new CRL,
 * invalidates them at once; with revocation checking on never longer than the revocation cache's
 * {@code cacheMinutes}; results reporting an expiry are not kept), so a certificate that
 * signs or is encrypted to for every message is validated about once a minute. Safe for concurrent use.
 */
public final class PkixCertificateValidator implements CertificateValidator {

    private static final Logger LOG = LoggerFactory.getLogger(PkixCertificateValidator.class);
    static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int MAX_PATH = 10;

    private final Supplier<TrustCollection> trust;
    private final CertStoreConfig.Revocation revocation;
    private final RevocationChecker revocationChecker;
    private final ValidationCache cache;
    private volatile TrustIndex index;
    private final java.util.concurrent.atomic.AtomicInteger indexBuilds = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param trust      the current trust collection, e.g. {@code store::trust} (asked on every call; an index is built
     *                   when it returns a different instance)
     * @param revocation revocation settings
     * @param clock      the clock for revocation cache expiry
     */
    public PkixCertificateValidator(Supplier<TrustCollection> trust, CertStoreConfig.Revocation revocation, Clock clock) {
        this(trust, revocation, clock, ValidationCache.Settings.DEFAULT.ttl(), ValidationCache.Settings.DEFAULT.maxEntries());
    }

    /**
     * @param resultTtl        how long a validation result is reused (zero: validate every time); with revocation
     *                         checking on, at most the revocation settings' {@code cacheMinutes}
     * @param resultCacheSize  how many results are kept at most (zero: none)
     */
    public PkixCertificateValidator(Supplier<TrustCollection> trust, CertStoreConfig.Revocation revocation, Clock clock,
                                    Duration resultTtl, int resultCacheSize) {
        this.trust = trust;
        this.revocation = revocation;
        this.revocationChecker = new RevocationChecker(revocation,
                new HttpFetcher(Duration.ofSeconds(revocation.timeoutSeconds())), clock);
        Duration ttl = resultTtl;
        if (revocation.mode() != CertStoreConfig.RevocationMode.OFF) {
            Duration revocationCache = Duration.ofMinutes(revocation.cacheMinutes());
            ttl = ttl.compareTo(revocationCache) > 0 ? revocationCache : ttl;
        }
        this.cache = new ValidationCache(new ValidationCache.Settings(ttl, resultCacheSize), clock);
    }

    public PkixCertificateValidator(Supplier<TrustCollection> trust, CertStoreConfig.Revocation revocation) {
        this(trust, revocation, Clock.systemUTC());
    }

    @Override
    public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> supplied, Purpose purpose,
                                     String address, Instant at) {
        TrustIndex idx = index();
        java.util.Optional<ValidationResult> cached = cache.get(idx, certificate, supplied, purpose, address, at);
        if (cached.isPresent()) {
            return cached.get();
        }
        ValidationResult result = validateNow(certificate, supplied, purpose, address, at, idx);
        cache.put(idx, certificate, supplied, purpose, address, at, result);
        return result;
    }

    private ValidationResult validateNow(X509Certificate certificate, Collection<X509Certificate> supplied,
                                         Purpose purpose, String address, Instant at, TrustIndex idx) {
        List<ValidationFailure> failures = new ArrayList<>();
        List<ValidationFailure> warnings = new ArrayList<>();

        List<X509Certificate> path = buildPath(certificate, supplied == null ? List.of() : supplied, idx, failures);
        if (!path.isEmpty()) {
            checkPkix(path, at, failures);
        }
        checkValidity(path.isEmpty() ? List.of(certificate) : path, at, failures);
        checkKeyUsage(certificate, purpose, failures);
        checkAddress(certificate, address, failures);
        checkKeyStrength(certificate, path, failures, warnings);
        if (!path.isEmpty() && revocation.mode() != CertStoreConfig.RevocationMode.OFF) {
            checkRevocation(path, purpose, at, idx, failures, warnings);
        }
        List<ValidationFailure> distinct = failures.stream().distinct().toList();
        ValidationResult result = new ValidationResult(certificate, purpose, path, distinct, warnings);
        if (LOG.isDebugEnabled()) {
            LOG.debug("validated '{}' serial {} sha256 {} for {}: {}", Certificates.subject(certificate),
                    certificate.getSerialNumber().toString(16), Certificates.sha256(certificate), purpose,
                    result.isValid() ? "valid" : distinct);
        }
        return result;
    }

    private TrustIndex index() {
        TrustCollection current = trust.get();
        TrustIndex i = index;
        if (i == null || i.source != current) {
            synchronized (indexBuilds) {
                i = index;
                if (i == null || i.source != current) {
                    i = new TrustIndex(current);
                    index = i;
                    indexBuilds.incrementAndGet();
                }
            }
        }
        return i;
    }

    /** Validations answered from the result cache. For tests and metrics. */
    long cachedResults() {
        return cache.hits();
    }

    /** Results held by the cache. For tests. */
    int resultCacheSize() {
        return cache.size();
    }

    /** How often trust anchors and indexes were (re)built: once per trust snapshot. For tests and metrics. */
    int indexBuilds() {
        return indexBuilds.get();
    }

    // ------------------------------------------------------------------ path

    private List<X509Certificate> buildPath(X509Certificate ee, Collection<X509Certificate> supplied, TrustIndex idx,
                                            List<ValidationFailure> failures) {
        Map<X500Principal, List<X509Certificate>> extra = new HashMap<>();
        for (X509Certificate c : supplied) {
            extra.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(c);
        }
        List<X509Certificate> path = new ArrayList<>();
        path.add(ee);
        List<String> badSignatures = new ArrayList<>();
        if (idx.isAnchor(ee) || extend(path, extra, idx, badSignatures)) {
            return path;
        }
        if (!badSignatures.isEmpty()) {
            failures.add(new ValidationFailure(Reason.INVALID_SIGNATURE, String.join("; ", badSignatures)));
        }
        failures.add(new ValidationFailure(Reason.NO_PATH_TO_TRUST_ANCHOR, "no path from '"
                + Certificates.subject(ee) + "' to a trusted root (issuer '"
                + Certificates.issuer(ee) + "')"));
        return List.of();
    }

    /** Depth-first search for an issuer chain ending at an anchor; {@code path} holds it when true. */
    private boolean extend(List<X509Certificate> path, Map<X500Principal, List<X509Certificate>> extra, TrustIndex idx,
                           List<String> badSignatures) {
        X509Certificate last = path.get(path.size() - 1);
        if (path.size() > MAX_PATH) {
            return false;
        }
        List<X509Certificate> candidates = new ArrayList<>();
        // anchors first: the trusted copy wins over a supplied one with the same name
        for (X509Certificate c : idx.bySubject(last.getIssuerX500Principal())) {
            if (idx.isAnchor(c)) {
                candidates.add(c);
            }
        }
        for (X509Certificate c : idx.bySubject(last.getIssuerX500Principal())) {
            if (!idx.isAnchor(c)) {
                candidates.add(c);
            }
        }
        candidates.addAll(extra.getOrDefault(last.getIssuerX500Principal(), List.of()));
        for (X509Certificate candidate : candidates) {
            if (path.contains(candidate) || candidate.equals(last)) {
                continue;
            }
            if (!idx.signedBy(last, candidate)) {
                badSignatures.add("'" + Certificates.subject(last) + "' is not signed by the key of '"
                        + Certificates.subject(candidate) + "' sha256 " + Certificates.sha256(candidate));
                continue;
            }
            path.add(candidate);
            if (idx.isAnchor(candidate) || extend(path, extra, idx, badSignatures)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** The JDK PKIX algorithm over the found path, for what the search does not look at. */
    private void checkPkix(List<X509Certificate> path, Instant at, List<ValidationFailure> failures) {
        if (path.size() < 2) {
            return;
        }
        X509Certificate anchor = path.get(path.size() - 1);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            CertPath certPath = cf.generateCertPath(path.subList(0, path.size() - 1));
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(instantWhereAllValid(path, at)));
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            CertPathValidatorException.Reason r = e.getReason();
            String detail = "PKIX: " + e.getMessage() + (e.getIndex() >= 0 && e.getIndex() < path.size()
                    ? " at '" + path.get(e.getIndex()).getSubjectX500Principal().getName() + "'" : "");
            if (r == CertPathValidatorException.BasicReason.EXPIRED
                    || r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return; // reported by checkValidity
            }
            if (r == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
                failures.add(new ValidationFailure(Reason.WEAK_KEY, detail));
            } else if (r == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
                failures.add(new ValidationFailure(Reason.INVALID_SIGNATURE, detail));
            } else if (r == PKIXReason.INVALID_KEY_USAGE) {
                failures.add(new ValidationFailure(Reason.KEY_USAGE, detail));
            } else {
                failures.add(new ValidationFailure(Reason.NO_PATH_TO_TRUST_ANCHOR, detail));
            }
        } catch (Exception e) {
            failures.add(new ValidationFailure(Reason.NO_PATH_TO_TRUST_ANCHOR, "PKIX: " + e.getMessage()));
        }
    }

    /** {@code at} when the whole path is valid then, else the latest notBefore if all are valid at that instant. */
    private static Instant instantWhereAllValid(List<X509Certificate> path, Instant at) {
        if (path.stream().allMatch(c -> Certificates.isValidAt(c, at))) {
            return at;
        }
        Instant latestStart = path.stream().map(c -> c.getNotBefore().toInstant()).max(Instant::compareTo).orElse(at);
        Instant earliestEnd = path.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElse(at);
        return latestStart.isAfter(earliestEnd) ? at : latestStart;
    }

    // ------------------------------------------------------------------ properties

    private static void checkValidity(List<X509Certificate> certs, Instant at, List<ValidationFailure> failures) {
        for (X509Certificate c : certs) {
            String who = "'" + Certificates.subject(c) + "'";
            if (at.isBefore(c.getNotBefore().toInstant())) {
                failures.add(new ValidationFailure(Reason.NOT_YET_VALID, who + " is valid from "
                        + c.getNotBefore().toInstant() + ", checked at " + at));
            } else if (at.isAfter(c.getNotAfter().toInstant())) {
                failures.add(new ValidationFailure(Reason.EXPIRED, who + " expired on "
                        + c.getNotAfter().toInstant() + ", checked at " + at));
            }
        }
    }

    private static void checkKeyUsage(X509Certificate c, Purpose purpose, List<ValidationFailure> failures) {
        boolean[] ku = c.getKeyUsage();
        if (ku != null) {
            boolean ok = purpose == Purpose.SIGN ? bit(ku, 0) || bit(ku, 1) : bit(ku, 2) || bit(ku, 4);
            if (!ok) {
                failures.add(new ValidationFailure(Reason.KEY_USAGE, purpose == Purpose.SIGN
                        ? "key usage allows neither digitalSignature nor nonRepudiation"
                        : "key usage allows neither keyEncipherment nor keyAgreement"));
            }
        }
        try {
            List<String> eku = c.getExtendedKeyUsage();
            if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
                failures.add(new ValidationFailure(Reason.EXTENDED_KEY_USAGE,
                        "extended key usage " + eku + " has neither emailProtection nor anyExtendedKeyUsage"));
            }
        } catch (CertificateParsingException e) {
            failures.add(new ValidationFailure(Reason.EXTENDED_KEY_USAGE, "unreadable extended key usage"));
        }
    }

    private static boolean bit(boolean[] bits, int i) {
        return bits.length > i && bits[i];
    }

    private static void checkAddress(X509Certificate c, String address, List<ValidationFailure> failures) {
        if (address == null) {
            return;
        }
        Set<String> addresses = Certificates.emailAddresses(c);
        if (addresses.isEmpty()) {
            failures.add(new ValidationFailure(Reason.NO_EMAIL_ADDRESS,
                    "the certificate names no e-mail address (subjectAltName rfc822Name or emailAddress)"));
        } else if (!addresses.contains(address.trim().toLowerCase(Locale.ROOT))) {
            failures.add(new ValidationFailure(Reason.ADDRESS_MISMATCH,
                    "the certificate is for " + addresses + ", not " + address));
        }
    }

    private static void checkKeyStrength(X509Certificate ee, List<X509Certificate> path,
                                         List<ValidationFailure> failures, List<ValidationFailure> warnings) {
        String weak = weakness(ee);
        if (weak != null) {
            failures.add(new ValidationFailure(Reason.WEAK_KEY, weak));
        }
        for (int i = 1; i < path.size(); i++) {
            String w = weakness(path.get(i));
            if (w != null) {
                warnings.add(new ValidationFailure(Reason.WEAK_KEY, "CA " + w));
            }
        }
    }

    private static String weakness(X509Certificate c) {
        var key = c.getPublicKey();
        int size = Certificates.keySize(key);
        boolean weak = (key instanceof RSAPublicKey || key instanceof DSAPublicKey) ? size < 2048
                : key instanceof ECPublicKey && size < 256;
        return weak ? "'" + Certificates.subject(c) + "' has a " + Certificates.keyDescription(key)
                      + "-bit key (minimum RSA/DSA 2048, EC 256)" : null;
    }

    private void checkRevocation(List<X509Certificate> path, Purpose purpose, Instant at, TrustIndex idx,
                                 List<ValidationFailure> failures, List<ValidationFailure> warnings) {
        boolean hardFail = revocation.mode() == CertStoreConfig.RevocationMode.HARD_FAIL
                || (purpose == Purpose.ENCRYPT && revocation.checkOnSend());
        for (int i = 0; i < path.size() - 1; i++) {
            RevocationStatus status = revocationChecker.check(path.get(i), path.get(i + 1), at, idx);
            switch (status.state()) {
                case REVOKED -> failures.add(new ValidationFailure(Reason.REVOKED, status.detail()));
                case UNKNOWN -> (hardFail ? failures : warnings)
                        .add(new ValidationFailure(Reason.REVOCATION_UNKNOWN, status.detail()));
                case GOOD -> { }
            }
        }
    }
}
