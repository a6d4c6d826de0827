package org.smimegw.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when every delivery attempt to a next hop has failed: an attempt that delivered or was refused (5xx) by the
 * hop shows the hop works and clears it; an attempt whose recipients were all deferred (no connection, 4xx) starts
 * the clock, or keeps it running. Fed by {@link AttemptConclusion}, read by the readiness check.
 */
public final class NextHopHealth {
    private final Clock clock;
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    public NextHopHealth(Clock clock) {
        this.clock = clock;
    }

    /** Records one attempt to {@code hop}: {@code worked} unless every recipient sent to it was deferred. */
    void attempted(String hop, boolean worked) {
        if (worked) {
            failingSince.remove(hop);
        } else {
            failingSince.putIfAbsent(hop, clock.instant());
        }
    }

    /** A next hop every attempt to which failed, since when. */
    public record Failing(String hop, Instant since) {
    }

    /** The next hops every attempt to which has failed for at least {@code period}, by name. */
    public List<Failing> failingFor(Duration period) {
        Instant limit = clock.instant().minus(period);
        Map<String, Instant> sorted = new TreeMap<>(failingSince);
        return sorted.entrySet().stream().filter(e -> !e.getValue().isAfter(limit))
                .map(e -> new Failing(e.getKey(), e.getValue())).toList();
    }
}
