package org.smimegw.certstore.validation;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;

/**
 * Recent validation results of a {@link PkixCertificateValidator}, so that the same signer or recipient certificate
 * is not path-built, PKIX-checked and revocation-checked for every message. A result is reused only when
 * <ul>
 *   <li>the certificate, the supplied certificates, the purpose and the address (case-insensitive) are the same;</li>
 *   <li>it was computed against the same trust snapshot ({@link TrustIndex}: a change of the trust collection, e.g.
 *       an imported CRL or removed root, makes every older result unusable at once);</li>
 *   <li>it is younger than the time to live (by the clock), and the instant asked about lies within the time to live
 *       of the instant it was computed for, and no certificate of its path starts or ends being valid between the
 *       two instants;</li>
 * </ul>
 * Results that report expiry (their detail names the instant) are not kept. A result with an unknown revocation
 * status ({@code REVOCATION_UNKNOWN}: no CRL, responder unreachable) is kept like any other, so an unreachable
 * source is asked again once per time to live and not for every message. With revocation checking on, the time to
 * live is at most the revocation cache's ({@code cacheMinutes}; 0 turns this cache off). Bounded: past {@code maxEntries} expired entries
 * are dropped, and when all are live the cache starts over. Safe for concurrent use.
 */
final class ValidationCache {

    /** How long and how many. {@code ttl} zero or {@code maxEntries} zero: no caching. */
    record Settings(Duration ttl, int maxEntries) {
        Settings {
            if (ttl.isNegative() || maxEntries < 0) {
                throw new IllegalArgumentException("validation cache: negative ttl or size");
            }
        }

        static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), 10_000);
        static final Settings OFF = new Settings(Duration.ZERO, 0);

        boolean enabled() {
            return !ttl.isZero() && maxEntries > 0;
        }
    }

    private record Key(X509Certificate certificate, List<X509Certificate> supplied, Purpose purpose, String address) {
    }

    private record Entry(TrustIndex index, ValidationResult result, Instant at, Instant windowStart,
                         Instant windowEnd, long expiresMillis) {
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    ValidationCache(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    boolean enabled() {
        return settings.enabled();
    }

    private static Key key(X509Certificate certificate, Collection<X509Certificate> supplied, Purpose purpose,
                           String address) {
        List<X509Certificate> s = supplied == null || supplied.isEmpty() ? List.of() : List.copyOf(supplied);
        return new Key(certificate, s, purpose, address == null ? null : address.trim().toLowerCase(Locale.ROOT));
    }

    Optional<ValidationResult> get(TrustIndex index, X509Certificate certificate, Collection<X509Certificate> supplied,
                                   Purpose purpose, String address, Instant at) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Key k = key(certificate, supplied, purpose, address);
        Entry e = entries.get(k);
        if (e != null && usable(e, index, at)) {
            hits.incrementAndGet();
            return Optional.of(e.result());
        }
        if (e != null) {
            entries.remove(k, e);
        }
        misses.incrementAndGet();
        return Optional.empty();
    }

    private boolean usable(Entry e, TrustIndex index, Instant at) {
        return e.index() == index
                && clock.millis() < e.expiresMillis()
                && within(e.at(), at, settings.ttl())
                && !at.isBefore(e.windowStart()) && at.isBefore(e.windowEnd());
    }

    /** Whether {@code a} and {@code b} are at most {@code ttl} apart ({@code Duration.abs()} computes in BigDecimal). */
    private static boolean within(Instant a, Instant b, Duration ttl) {
        Duration d = a.isAfter(b) ? Duration.between(b, a) : Duration.between(a, b);
        return d.compareTo(ttl) <= 0;
    }

    void put(TrustIndex index, X509Certificate certificate, Collection<X509Certificate> supplied, Purpose purpose,
             String address, Instant at, ValidationResult result) {
        if (!settings.enabled() || !cacheable(result)) {
            return;
        }
        if (entries.size() >= settings.maxEntries()) {
            long now = clock.millis();
            entries.values().removeIf(e -> now >= e.expiresMillis() || e.index() != index);
            if (entries.size() >= settings.maxEntries()) {
                entries.clear();
            }
        }
        List<X509Certificate> certs = new ArrayList<>(result.path());
        certs.add(certificate);
        Instant start = Instant.MIN;
        Instant end = Instant.MAX;
        for (X509Certificate c : certs) {
            for (Instant boundary : List.of(c.getNotBefore().toInstant(), c.getNotAfter().toInstant().plusMillis(1))) {
                if (!boundary.isAfter(at) && boundary.isAfter(start)) {
                    start = boundary;
                } else if (boundary.isAfter(at) && boundary.isBefore(end)) {
                    end = boundary;
                }
            }
        }
        entries.put(key(certificate, supplied, purpose, address),
                new Entry(index, result, at, start, end, clock.millis() + settings.ttl().toMillis()));
    }

    private static boolean cacheable(ValidationResult result) {
        for (List<ValidationFailure> list : List.of(result.failures(), result.warnings())) {
            for (ValidationFailure f : list) {
                switch (f.reason()) {
                    case EXPIRED, NOT_YET_VALID -> {
                        return false;
                    }
                    default -> { }
                }
            }
        }
        return true;
    }

    long hits() {
        return hits.get();
    }

    long misses() {
        return misses.get();
    }

    int size() {
        return entries.size();
    }
}
