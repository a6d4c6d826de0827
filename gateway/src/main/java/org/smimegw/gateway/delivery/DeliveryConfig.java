package org.smimegw.gateway.delivery;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of SMTP delivery to the next hop (YAML {@code delivery:}). Null components take their defaults.
 *
 * @param smarthost             the next hop for every domain without a route; null means such mail goes to the
 *                              domain's MX hosts (or bounces with 5.4.4 when {@code mx.enabled} is false)
 * @param routes                per-domain next hops; keys are domains or {@code *.domain} wildcards (subdomains)
 * @param maxConnections        delivery workers = maximum concurrent SMTP connections (20)
 * @param connectTimeoutSeconds TCP connect timeout (30)
 * @param timeoutSeconds        read/write timeout per SMTP command (120)
 * @param retry                 back-off and queue lifetime
 * @param heloName              name sent in EHLO and used as Reporting-MTA in bounces (default: local host name)
 * @param immediate             try delivery at once on the pipeline thread when an idle pooled connection to the
 *                              route exists, storing only what is left in OUTGOING (true)
 * @param mx                    direct delivery to the recipient domain's MX hosts, for domains without a route when
 *                              there is no smarthost
 * @param idleTimeoutSeconds    a pooled connection idle this long is closed ({@value #DEFAULT_IDLE_TIMEOUT_SECONDS}):
 *                              before the next hop closes it, which Postfix does after {@code smtpd_timeout} (300 s,
 *                              10 s under stress), so a closed pooled connection stays the exception (one that is
 *                              found closed anyway is replaced at once, see {@code DeliveryService})
 */
public record DeliveryConfig(Route smarthost, Map<String, Route> routes, Integer maxConnections,
                             Integer connectTimeoutSeconds, Integer timeoutSeconds, Retry retry, String heloName,
                             Boolean immediate, Mx mx, Integer idleTimeoutSeconds) {

    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 5;

    public DeliveryConfig {
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        maxConnections = maxConnections == null ? 20 : maxConnections;
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 30 : connectTimeoutSeconds;
        timeoutSeconds = timeoutSeconds == null ? 120 : timeoutSeconds;
        retry = retry == null ? new Retry(null, null, null, null, null) : retry;
        immediate = immediate == null || immediate;
        mx = mx == null ? new Mx(null, null, null, null, null, null) : mx;
        idleTimeoutSeconds = idleTimeoutSeconds == null ? DEFAULT_IDLE_TIMEOUT_SECONDS : idleTimeoutSeconds;
        if (idleTimeoutSeconds < 1) {
            throw new IllegalArgumentException("delivery.idleTimeoutSeconds must be at least 1, got "
                    + idleTimeoutSeconds);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("delivery.maxConnections must be at least 1, got " + maxConnections);
        }
        if (connectTimeoutSeconds < 1 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("delivery timeouts must be at least 1 second");
        }
    }

    /** As the canonical constructor with the idle timeout at its default. */
    public DeliveryConfig(Route smarthost, Map<String, Route> routes, Integer maxConnections,
                          Integer connectTimeoutSeconds, Integer timeoutSeconds, Retry retry, String heloName,
                          Boolean immediate, Mx mx) {
        this(smarthost, routes, maxConnections, connectTimeoutSeconds, timeoutSeconds, retry, heloName, immediate, mx,
                null);
    }

    /** As the canonical constructor with {@code mx} at its defaults. */
    public DeliveryConfig(Route smarthost, Map<String, Route> routes, Integer maxConnections,
                          Integer connectTimeoutSeconds, Integer timeoutSeconds, Retry retry, String heloName,
                          Boolean immediate) {
        this(smarthost, routes, maxConnections, connectTimeoutSeconds, timeoutSeconds, retry, heloName, immediate,
                null);
    }

    /** As the canonical constructor with {@code immediate} (true) and {@code mx} at their defaults. */
    public DeliveryConfig(Route smarthost, Map<String, Route> routes, Integer maxConnections,
                          Integer connectTimeoutSeconds, Integer timeoutSeconds, Retry retry, String heloName) {
        this(smarthost, routes, maxConnections, connectTimeoutSeconds, timeoutSeconds, retry, heloName, null, null);
    }

    /** A configuration that sends everything to one smarthost with all other settings at their defaults. */
    public static DeliveryConfig viaSmarthost(Route smarthost) {
        return new DeliveryConfig(smarthost, null, null, null, null, null, null, null, null);
    }

    /** This configuration with another smarthost (e.g. the embedded mailbox once it listens) and EHLO name. */
    public DeliveryConfig withSmarthost(Route newSmarthost, String newHeloName) {
        return new DeliveryConfig(newSmarthost, routes, maxConnections, connectTimeoutSeconds, timeoutSeconds, retry,
                newHeloName, immediate, mx, idleTimeoutSeconds);
    }

    /** How STARTTLS is used towards a next hop. */
    public enum StartTls {
        /** Never issue STARTTLS. */
        OFF,
        /** Use STARTTLS when the server offers it, without certificate verification (like Postfix "may"). */
        OPPORTUNISTIC,
        /** Require STARTTLS and a certificate that validates against the JDK trust store and matches the host. */
        REQUIRED;

        /**
         * Parses a config value case-insensitively. YAML 1.1 reads a bare {@code OFF} as boolean false, so false is
         * accepted as OFF; true is refused as ambiguous.
         */
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public static StartTls parse(Object value) {
            if (Boolean.FALSE.equals(value)) {
                return OFF;
            }
            String text = String.valueOf(value).trim().toUpperCase(Locale.ROOT);
            for (StartTls mode : values()) {
                if (mode.name().equals(text)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("starttls must be OFF, OPPORTUNISTIC or REQUIRED, got '" + value + "'");
        }
    }

    /**
     * A next hop.
     *
     * @param host         host name or address
     * @param port         SMTP port (25)
     * @param starttls     STARTTLS mode (OPPORTUNISTIC)
     * @param username     SMTP AUTH user; null for no authentication
     * @param passwordEnv  name of the environment variable holding the password
     * @param passwordFile file whose first line is the password (used when passwordEnv is not set)
     */
    public record Route(String host, Integer port, StartTls starttls, String username, String passwordEnv,
                        String passwordFile) {
        public Route {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("delivery route needs a host");
            }
            port = port == null ? 25 : port;
            starttls = starttls == null ? StartTls.OPPORTUNISTIC : starttls;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("delivery route " + host + ": port out of range: " + port);
            }
            if (username != null && passwordEnv == null && passwordFile == null) {
                throw new IllegalArgumentException("delivery route " + host + ": username '" + username
                        + "' needs passwordEnv or passwordFile (passwords are never in the main config)");
            }
        }

        public static Route of(String host, int port, StartTls starttls) {
            return new Route(host, port, starttls, null, null, null);
        }

        /**
         * Host and port only (consistent with the record's equals): routes are hash keys on every delivery (pool,
         * grouping), and the generated hash over all components showed in profiles.
         */
        @Override
        public int hashCode() {
            return host.hashCode() * 31 + port;
        }

        /** Short form for logs: host:port. */
        public String hostAndPort() {
            return host + ":" + port;
        }

        @Override
        public String toString() {
            return "Route[" + hostAndPort() + ", starttls=" + starttls + (username == null ? "" : ", user=" + username)
                    + "]";
        }
    }

    /**
     * Retry schedule. The n-th deferral waits {@code initialDelaySeconds * multiplier^(n-1)}, at most
     * {@code maxDelaySeconds}; a message still undelivered {@code maxLifetimeHours} after it was queued bounces.
     * Recipients whose NOTIFY includes DELAY get one "delayed" notice when they are deferred
     * {@code delayWarningHours} (4) or more after the message was queued.
     */
    public record Retry(Double initialDelaySeconds, Double multiplier, Double maxDelaySeconds, Double maxLifetimeHours,
                        Double delayWarningHours) {
        public Retry {
            initialDelaySeconds = initialDelaySeconds == null ? 60.0 : initialDelaySeconds;
            multiplier = multiplier == null ? 2.0 : multiplier;
            maxDelaySeconds = maxDelaySeconds == null ? 3600.0 : maxDelaySeconds;
            maxLifetimeHours = maxLifetimeHours == null ? 120.0 : maxLifetimeHours;
            delayWarningHours = delayWarningHours == null ? 4.0 : delayWarningHours;
            if (initialDelaySeconds < 0 || multiplier < 1.0 || maxDelaySeconds < 0 || maxLifetimeHours < 0
                    || delayWarningHours < 0) {
                throw new IllegalArgumentException("delivery.retry: delays and lifetime must be >= 0 and multiplier >= 1");
            }
        }

        /** As the canonical constructor with {@code delayWarningHours} at its default (4). */
        public Retry(Double initialDelaySeconds, Double multiplier, Double maxDelaySeconds, Double maxLifetimeHours) {
            this(initialDelaySeconds, multiplier, maxDelaySeconds, maxLifetimeHours, null);
        }
    }

    /**
     * Direct delivery to a domain's mail exchangers (RFC 5321 5.1): MX records in preference order (random among
     * equal preference), the domain's own address records when it has no MX, none for a null MX (RFC 7505).
     *
     * @param enabled           look up MX hosts for domains without a route when there is no smarthost (true); false:
     *                          such mail bounces with 5.4.4
     * @param dnsServers        addresses of the DNS servers to ask, in order; empty: the system's resolvers
     * @param dnsPort           port of those DNS servers (53)
     * @param dnsTimeoutSeconds timeout of one DNS query to one server (5)
     * @param port              SMTP port of MX hosts (25)
     * @param maxAddresses      at most this many addresses (of all MX hosts together) are tried per attempt (5)
     */
    public record Mx(Boolean enabled, List<String> dnsServers, Integer dnsPort, Integer dnsTimeoutSeconds,
                     Integer port, Integer maxAddresses) {
        public Mx {
            enabled = enabled == null || enabled;
            dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
            dnsPort = dnsPort == null ? 53 : dnsPort;
            dnsTimeoutSeconds = dnsTimeoutSeconds == null ? 5 : dnsTimeoutSeconds;
            port = port == null ? 25 : port;
            maxAddresses = maxAddresses == null ? 5 : maxAddresses;
            if (dnsServers.stream().anyMatch(s -> s == null || s.isBlank())) {
                throw new IllegalArgumentException("delivery.mx.dnsServers: empty entry");
            }
            if (dnsPort < 1 || dnsPort > 65535 || port < 1 || port > 65535) {
                throw new IllegalArgumentException("delivery.mx: port out of range (1-65535)");
            }
            if (dnsTimeoutSeconds < 1) {
                throw new IllegalArgumentException("delivery.mx.dnsTimeoutSeconds must be at least 1, got "
                        + dnsTimeoutSeconds);
            }
            if (maxAddresses < 1) {
                throw new IllegalArgumentException("delivery.mx.maxAddresses must be at least 1, got " + maxAddresses);
            }
        }
    }

    static String normalizeDomain(String domain) {
        return domain.trim().toLowerCase(Locale.ROOT);
    }
}
