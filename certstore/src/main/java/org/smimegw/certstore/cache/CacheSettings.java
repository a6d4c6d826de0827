package org.smimegw.certstore.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link CachingCertificateSource} keeps answers.
 *
 * @param ttl                how long a non-empty answer is served from the cache
 * @param negativeTtl        how long an empty answer ("no certificate") is served; normally shorter than {@code ttl}
 *                           so a certificate published just now is picked up soon
 * @param maxEntries         bound on the number of addresses kept; the least recently used one is dropped first
 * @param staleIfUnavailable how long after expiry a non-empty answer may still be served while the delegate is
 *                           unavailable; {@link Duration#ZERO} turns that off (the outage is then passed on)
 */
public record CacheSettings(Duration ttl, Duration negativeTtl, int maxEntries, Duration staleIfUnavailable) {

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_STALE_IF_UNAVAILABLE = Duration.ofHours(1);

    public CacheSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(negativeTtl, "negativeTtl");
        Objects.requireNonNull(staleIfUnavailable, "staleIfUnavailable");
        if (ttl.isNegative() || negativeTtl.isNegative() || staleIfUnavailable.isNegative()) {
            throw new IllegalArgumentException("cache durations must not be negative");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache maxEntries must be at least 1, was " + maxEntries);
        }
    }

    /** 300 s for certificates, 60 s for "none", 10 000 addresses, stale answers up to 1 h during an outage. */
    public static CacheSettings defaults() {
        return new CacheSettings(DEFAULT_TTL, DEFAULT_NEGATIVE_TTL, DEFAULT_MAX_ENTRIES, DEFAULT_STALE_IF_UNAVAILABLE);
    }
}
