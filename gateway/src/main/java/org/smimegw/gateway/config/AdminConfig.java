package org.smimegw.gateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * YAML {@code admin:} — the admin HTTP endpoint ({@code /metrics}, {@code /health}, {@code POST /reload}) and JMX.
 *
 * @param enabled    serve the admin HTTP endpoint (default true)
 * @param bind       address to listen on (default 127.0.0.1; the endpoint has no authentication, keep it local)
 * @param port       TCP port (default 8025; 0 picks a free port)
 * @param jmx        expose the metric registry over JMX too (default true)
 * @param jmxDomain  JMX domain of the metric MBeans (default {@code smime-gateway})
 * @param ready      when {@code /health/ready} reports the gateway degraded
 */
public record AdminConfig(boolean enabled, String bind, int port, boolean jmx, String jmxDomain, Ready ready) {

    /**
     * YAML {@code admin.ready:}.
     *
     * @param deliveryFailureMinutes degraded when every delivery attempt to a next hop has failed for this long
     *                               (default 10)
     *                               (the spool's reserve is {@code spool.minFreeBytes}, the one SMTP refuses at)
     */
    public record Ready(int deliveryFailureMinutes) {
        public static final int DEFAULT_DELIVERY_FAILURE_MINUTES = 10;

        @JsonCreator
        public static Ready of(@JsonProperty("deliveryFailureMinutes") Integer deliveryFailureMinutes) {
            return new Ready(deliveryFailureMinutes == null ? DEFAULT_DELIVERY_FAILURE_MINUTES : deliveryFailureMinutes);
        }
    }

    public AdminConfig(boolean enabled, String bind, int port, boolean jmx, String jmxDomain) {
        this(enabled, bind, port, jmx, jmxDomain, Ready.of(null));
    }

    /** The same settings on another port. */
    public AdminConfig withPort(int newPort) {
        return new AdminConfig(enabled, bind, newPort, jmx, jmxDomain, ready);
    }

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8025;
    public static final String DEFAULT_JMX_DOMAIN = "smime-gateway";

    @JsonCreator
    public static AdminConfig of(@JsonProperty("enabled") Boolean enabled, @JsonProperty("bind") String bind,
                                 @JsonProperty("port") Integer port, @JsonProperty("jmx") Boolean jmx,
                                 @JsonProperty("jmxDomain") String jmxDomain, @JsonProperty("ready") Ready ready) {
        return new AdminConfig(enabled == null || enabled, bind == null ? DEFAULT_BIND : bind,
                port == null ? DEFAULT_PORT : port, jmx == null || jmx,
                jmxDomain == null ? DEFAULT_JMX_DOMAIN : jmxDomain, ready == null ? Ready.of(null) : ready);
    }

    public static AdminConfig defaults() {
        return of(null, null, null, null, null, null);
    }
}
