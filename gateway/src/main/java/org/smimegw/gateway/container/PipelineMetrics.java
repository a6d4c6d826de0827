package org.smimegw.gateway.container;

import java.util.HashSet;
import java.util.Set;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * The per-processor, per-mailet and per-matcher metrics of one mailet container, named by what they measure and
 * never by position: {@code processor.<state>}, {@code mailet.<state>.<MailetClass>} (+ {@code .exceptions}),
 * {@code matcher.<state>.<MatcherName>.exceptions}. Two entries of the same class in one processor share their
 * metrics. The names a container uses are remembered, so that after a reload {@link #retainOnly} removes the series
 * of mailets and processors no longer in force.
 */
final class PipelineMetrics {
    private static final Set<String> PREFIXES = Set.of("processor.", "mailet.", "matcher.");

    private final MetricRegistry registry;
    private final Set<String> names = new HashSet<>();

    PipelineMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    Timer processor(String state) {
        return registry.timer(remember(MetricRegistry.name("processor", state)));
    }

    Timer mailet(String state, String mailetName) {
        return registry.timer(remember(MetricRegistry.name("mailet", state, mailetName)));
    }

    Counter mailetExceptions(String state, String mailetName) {
        return registry.counter(remember(MetricRegistry.name("mailet", state, mailetName, "exceptions")));
    }

    Counter matcherExceptions(String state, String matcherName) {
        return registry.counter(remember(MetricRegistry.name("matcher", state, matcherName, "exceptions")));
    }

    private String remember(String name) {
        names.add(name);
        return name;
    }

    /** The names this container's metrics are registered under. */
    Set<String> names() {
        return Set.copyOf(names);
    }

    /**
     * Removes every pipeline metric (processor, mailet, matcher) from {@code registry} except {@code inForce}'s:
     * called after the container in force changed, or a new one was refused.
     */
    static void retainOnly(MetricRegistry registry, MailetContainer inForce) {
        Set<String> keep = inForce == null ? Set.of() : inForce.metricNames();
        registry.removeMatching((name, metric) -> PREFIXES.stream().anyMatch(name::startsWith) && !keep.contains(name));
    }
}
