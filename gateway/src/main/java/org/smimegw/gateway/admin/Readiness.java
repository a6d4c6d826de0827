package org.smimegw.gateway.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the gateway accepts and delivers mail, served at {@code /health/ready}: ready, or degraded with the
 * reasons (one line each, for the admin).
 *
 * @param checks  check name → {@code ok} or what is wrong (components, delivery, spool, directory)
 */
public record Readiness(Map<String, String> checks) {
    public static final String OK = "ok";

    public Readiness {
        checks = Map.copyOf(checks);
    }

    public boolean ready() {
        return checks.values().stream().allMatch(OK::equals);
    }

    /** What is wrong, one line per failed check, in check-name order. */
    public List<String> reasons() {
        return checks.entrySet().stream().filter(e -> !OK.equals(e.getValue())).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    /** {@code {status: ready|degraded, reasons: [...], checks: {name: ok|reason}}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", ready() ? "ready" : "degraded");
        json.put("reasons", reasons());
        json.put("checks", new java.util.TreeMap<>(checks));
        return json;
    }
}
