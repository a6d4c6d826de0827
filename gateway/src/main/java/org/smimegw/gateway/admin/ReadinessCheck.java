package org.smimegw.gateway.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.smimegw.gateway.delivery.NextHopHealth;
import org.smimegw.gateway.spool.SpoolSpace;

/**
 * Computes {@link Readiness} on each {@code GET /health/ready}: degraded while a component is down, while every
 * delivery attempt to a next hop has failed for the configured period, while the spool's file system has less free
 * space than the reserve, or while the LDAP directory cannot be reached.
 */
public final class ReadinessCheck {
    private final Supplier<HealthReport> components;
    private final Supplier<Optional<NextHopHealth>> nextHops;
    private final Duration deliveryFailurePeriod;
    private final SpoolSpace spool;
    private final Supplier<Optional<String>> directoryUnreachable;

    /**
     * @param components           the components' states ({@code /health})
     * @param nextHops             the delivery service's next-hop record (empty while delivery is not running)
     * @param deliveryFailurePeriod how long every attempt to a next hop must have failed
     * @param spool                free space and reserve of the spool
     * @param directoryUnreachable why the directory cannot be reached, asked now (empty: reachable or none)
     */
    public ReadinessCheck(Supplier<HealthReport> components, Supplier<Optional<NextHopHealth>> nextHops,
                          Duration deliveryFailurePeriod, SpoolSpace spool,
                          Supplier<Optional<String>> directoryUnreachable) {
        this.components = components;
        this.nextHops = nextHops;
        this.deliveryFailurePeriod = deliveryFailurePeriod;
        this.spool = spool;
        this.directoryUnreachable = directoryUnreachable;
    }

    public Readiness check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("components", components());
        checks.put("delivery", delivery());
        checks.put("spool", spool());
        checks.put("directory", directoryUnreachable.get().map(reason -> "unreachable: " + reason)
                .orElse(Readiness.OK));
        return new Readiness(checks);
    }

    private String components() {
        HealthReport report = components.get();
        List<String> down = report.components().entrySet().stream().filter(e -> !e.getValue())
                .map(Map.Entry::getKey).sorted().toList();
        return down.isEmpty() ? Readiness.OK : "down: " + String.join(", ", down);
    }

    private String delivery() {
        List<NextHopHealth.Failing> failing = nextHops.get().map(n -> n.failingFor(deliveryFailurePeriod))
                .orElse(List.of());
        if (failing.isEmpty()) {
            return Readiness.OK;
        }
        return "every attempt failed for " + deliveryFailurePeriod.toMinutes() + " min or more to "
                + failing.stream().map(f -> f.hop() + " (since " + f.since() + ")").collect(Collectors.joining(", "));
    }

    private String spool() {
        try {
            long free = spool.freeBytes();
            long reserve = spool.reserveBytes();
            return free >= reserve ? Readiness.OK
                    : "free space " + megabytes(free) + " is below the reserve of " + megabytes(reserve);
        } catch (IOException e) {
            return "cannot read the free space: " + e.getMessage();
        }
    }

    private static String megabytes(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }
}
