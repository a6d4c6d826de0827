package org.smimegw.certstore.cache;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.CertificateSource;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestSink;
import org.smimegw.certstore.PublishedCertificate;

/**
 * Keeps the answers of another {@link CertificateSource} for a while.
 * <ul>
 *   <li>A non-empty answer is kept for {@link CacheSettings#ttl()}, an empty one for
 *       {@link CacheSettings#negativeTtl()}.</li>
 *   <li>A {@link DirectoryUnavailableException} is never cached: the next lookup asks the delegate again.</li>
 *   <li>While the delegate is unavailable, a non-empty answer that expired less than
 *       {@link CacheSettings#staleIfUnavailable()} ago is served (and counted as stale). An empty answer is never
 *       served stale: "unknown" is never turned into "none", the exception is passed on instead.</li>
 *   <li>At most {@link CacheSettings#maxEntries()} addresses are kept, least recently used dropped first.</li>
 * </ul>
 * Addresses are keys after trimming and lower-casing. Safe for concurrent use; the delegate is called outside the
 * lock, so concurrent misses for one address may each ask the delegate.
 */
public final class CachingCertificateSource implements CertificateSource {

    private static final Logger LOG = LoggerFactory.getLogger(CachingCertificateSource.class);

    private record Cached(List<PublishedCertificate> certificates, Instant expires) {
    }

    private final CertificateSource delegate;
    private final CacheSettings settings;
    private final Clock clock;
    private final Map<String, Cached> entries;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong staleHits = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public CachingCertificateSource(CertificateSource delegate, CacheSettings settings, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        int max = settings.maxEntries();
        this.entries = new LinkedHashMap<>(Math.min(max, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<PublishedCertificate> lookup(String address) throws DirectoryUnavailableException {
        String key = key(address);
        Instant now = clock.instant();
        Cached cached;
        synchronized (entries) {
            cached = entries.get(key);
        }
        if (cached != null && now.isBefore(cached.expires())) {
            hits.incrementAndGet();
            return cached.certificates();
        }
        misses.incrementAndGet();
        List<PublishedCertificate> fresh;
        try {
            fresh = List.copyOf(delegate.lookup(address));
        } catch (DirectoryUnavailableException e) {
            failures.incrementAndGet();
            if (cached != null && !cached.certificates().isEmpty()
                    && now.isBefore(cached.expires().plus(settings.staleIfUnavailable()))) {
                staleHits.incrementAndGet();
                LOG.warn("{} unavailable ({}); serving cached certificates for {} that expired at {}",
                        delegate.name(), e.getMessage(), key, cached.expires());
                return cached.certificates();
            }
            throw e;
        }
        Instant expires = now.plus(fresh.isEmpty() ? settings.negativeTtl() : settings.ttl());
        synchronized (entries) {
            entries.put(key, new Cached(fresh, expires));
        }
        return fresh;
    }

    /** Forgets what is cached for {@code address}, e.g. after a certificate for it was harvested. */
    public void invalidate(String address) {
        synchronized (entries) {
            entries.remove(key(address));
        }
    }

    public void invalidateAll() {
        synchronized (entries) {
            entries.clear();
        }
    }

    /**
     * A sink that stores through {@code sink} and then forgets this cache's answer for the address, so this gateway
     * sees a certificate it just harvested without waiting for the (negative) TTL.
     */
    public HarvestSink invalidating(HarvestSink sink) {
        Objects.requireNonNull(sink, "sink");
        return certificate -> {
            sink.store(certificate);
            invalidate(certificate.address());
        };
    }

    /** Lookups answered from the cache while fresh. */
    public long hits() {
        return hits.get();
    }

    /** Lookups that asked the delegate. */
    public long misses() {
        return misses.get();
    }

    /** Lookups answered with an expired positive answer because the delegate was unavailable. */
    public long staleHits() {
        return staleHits.get();
    }

    /** Delegate lookups that failed as unavailable. */
    public long failures() {
        return failures.get();
    }

    /** Addresses currently held (fresh or expired). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private static String key(String address) {
        Objects.requireNonNull(address, "address");
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
