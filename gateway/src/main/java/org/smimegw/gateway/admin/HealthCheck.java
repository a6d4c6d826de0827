package org.smimegw.gateway.admin;

/** Reports the current {@link HealthReport}; called on every {@code GET /health}. */
@FunctionalInterface
public interface HealthCheck {
    HealthReport check();
}
