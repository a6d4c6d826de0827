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
 */
public record AdminConfig(boolean enabled, String bind, int port, boolean jmx, String jmxDomain) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8025;
    public static final String DEFAULT_JMX_DOMAIN = "smime-gateway";

    @JsonCreator
    public static AdminConfig of(@JsonProperty("enabled") Boolean enabled, @JsonProperty("bind") String bind,
                                 @JsonProperty("port") Integer port, @JsonProperty("jmx") Boolean jmx,
                                 @JsonProperty("jmxDomain") String jmxDomain) {
        return new AdminConfig(enabled == null || enabled, bind == null ? DEFAULT_BIND : bind,
                port == null ? DEFAULT_PORT : port, jmx == null || jmx,
                jmxDomain == null ? DEFAULT_JMX_DOMAIN : jmxDomain);
    }

    public static AdminConfig defaults() {
        return of(null, null, null, null, null);
    }
}
