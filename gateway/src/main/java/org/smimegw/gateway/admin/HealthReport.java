package org.smimegw.gateway.admin;

import java.util.Map;
import java.util.TreeMap;

/**
 * The state of the gateway's components and queues, served at {@code /health}.
 *
 * @param components component name → running (e.g. smtp, pipeline, delivery)
 * @param queues     queue name → number of messages waiting
 */
public record HealthReport(Map<String, Boolean> components, Map<String, Long> queues) {
    public HealthReport {
        components = Map.copyOf(components);
        queues = Map.copyOf(queues);
    }

    /** True when every component runs. */
    public boolean healthy() {
        return components.values().stream().allMatch(Boolean::booleanValue);
    }

    /** Sorted, JSON-friendly view: {@code {status, components: {name: up|down}, queues: {name: n}}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("status", healthy() ? "ok" : "down");
        Map<String, String> states = new TreeMap<>();
        components.forEach((name, up) -> states.put(name, up ? "up" : "down"));
        json.put("components", states);
        json.put("queues", new TreeMap<>(queues));
        return json;
    }
}
