package org.smimegw.gateway.smtp;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code smtp:} section of {@code gateway.yaml}. Every component may be missing (null) and then takes its
 * default; {@link #defaults()} is the section with nothing set.
 *
 * @param bind               listen address (default {@code 127.0.0.1})
 * @param port               listen port (default 2525; 0 = any free port)
 * @param hostname           name in the greeting, EHLO reply and Received header (default: the local host name)
 * @param maxMessageSize     bytes (default 52428800 = 50 MiB), advertised as SIZE, enforced while streaming
 * @param maxRecipients      recipients per message (default 100)
 * @param maxConnections     concurrent SMTP connections (default 100)
 * @param idleTimeoutSeconds seconds to wait for the next command (default 300)
 * @param dataTimeoutSeconds seconds to wait for the next chunk of DATA (default 600)
 * @param maxLineLength      longest DATA line in octets including CRLF (default 1000, RFC 5321 §4.5.3.1.6);
 *                           command lines are limited to 998 characters by SubEthaSMTP
 * @param mynetworks         CIDRs of clients allowed to relay anywhere (default 127.0.0.0/8 and ::1/128)
 * @param relayDomains       recipient domains accepted from anyone; ".example.com" also matches subdomains
 * @param tls                STARTTLS key and certificate; absent: a self-signed pair generated on first start
 * @param auth               SMTP AUTH users (offered only after STARTTLS); absent or empty: no AUTH
 * @param proxyProtocol      load balancers whose connections start with a PROXY protocol header; absent: none
 */
public record SmtpConfig(String bind, Integer port, String hostname, Long maxMessageSize, Integer maxRecipients,
                         Integer maxConnections, Integer idleTimeoutSeconds, Integer dataTimeoutSeconds,
                         Integer maxLineLength, List<String> mynetworks, List<String> relayDomains, Tls tls,
                         Auth auth, ProxyProtocol proxyProtocol) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 2525;
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 52_428_800L;
    public static final int DEFAULT_MAX_RECIPIENTS = 100;
    public static final int DEFAULT_MAX_CONNECTIONS = 100;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_DATA_TIMEOUT_SECONDS = 600;
    public static final int DEFAULT_MAX_LINE_LENGTH = 1000;
    public static final List<String> DEFAULT_MYNETWORKS = List.of("127.0.0.0/8", "::1/128");

    public SmtpConfig {
        bind = bind == null || bind.isBlank() ? DEFAULT_BIND : bind.trim();
        port = port == null ? DEFAULT_PORT : port;
        hostname = hostname == null || hostname.isBlank() ? null : hostname.trim();
        maxMessageSize = maxMessageSize == null ? DEFAULT_MAX_MESSAGE_SIZE : maxMessageSize;
        maxRecipients = maxRecipients == null ? DEFAULT_MAX_RECIPIENTS : maxRecipients;
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        idleTimeoutSeconds = idleTimeoutSeconds == null ? DEFAULT_IDLE_TIMEOUT_SECONDS : idleTimeoutSeconds;
        dataTimeoutSeconds = dataTimeoutSeconds == null ? DEFAULT_DATA_TIMEOUT_SECONDS : dataTimeoutSeconds;
        maxLineLength = maxLineLength == null ? DEFAULT_MAX_LINE_LENGTH : maxLineLength;
        mynetworks = mynetworks == null ? DEFAULT_MYNETWORKS : List.copyOf(mynetworks);
        relayDomains = relayDomains == null ? List.of() : List.copyOf(relayDomains);
        tls = tls == null ? new Tls(null, null) : tls;
        auth = auth == null ? new Auth(List.of()) : auth;
        proxyProtocol = proxyProtocol == null ? new ProxyProtocol(null, null) : proxyProtocol;

        require(port >= 0 && port <= 65535, "smtp.port", "must be 0..65535, is " + port);
        require(maxMessageSize > 0 && maxMessageSize <= Integer.MAX_VALUE, "smtp.maxMessageSize",
                "must be 1.." + Integer.MAX_VALUE + " bytes, is " + maxMessageSize);
        require(maxRecipients > 0, "smtp.maxRecipients", "must be positive, is " + maxRecipients);
        require(maxConnections > 0, "smtp.maxConnections", "must be positive, is " + maxConnections);
        require(idleTimeoutSeconds > 0, "smtp.idleTimeoutSeconds", "must be positive, is " + idleTimeoutSeconds);
        require(dataTimeoutSeconds > 0, "smtp.dataTimeoutSeconds", "must be positive, is " + dataTimeoutSeconds);
        require(maxLineLength >= 80, "smtp.maxLineLength", "must be at least 80, is " + maxLineLength);
        NetworkList.parse(mynetworks); // fails with the offending entry
        for (String d : relayDomains) {
            require(d != null && !d.isBlank() && !d.contains("@"), "smtp.relayDomains", "invalid domain '" + d + "'");
        }
    }

    /** The section with every key at its default. */
    public static SmtpConfig defaults() {
        return new SmtpConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy listening on {@code newPort} (0 for a free port), handy for tests. */
    public SmtpConfig withPort(int newPort) {
        return new SmtpConfig(bind, newPort, hostname, maxMessageSize, maxRecipients, maxConnections,
                idleTimeoutSeconds, dataTimeoutSeconds, maxLineLength, mynetworks, relayDomains, tls, auth,
                proxyProtocol);
    }

    /** A copy naming itself {@code newHostname} in greeting, EHLO reply and Received header. */
    public SmtpConfig withHostname(String newHostname) {
        return new SmtpConfig(bind, port, newHostname, maxMessageSize, maxRecipients, maxConnections,
                idleTimeoutSeconds, dataTimeoutSeconds, maxLineLength, mynetworks, relayDomains, tls, auth,
                proxyProtocol);
    }

    /** A copy that expects a PROXY protocol header from {@code proxy}'s load balancers. */
    public SmtpConfig withProxyProtocol(ProxyProtocol proxy) {
        return new SmtpConfig(bind, port, hostname, maxMessageSize, maxRecipients, maxConnections,
                idleTimeoutSeconds, dataTimeoutSeconds, maxLineLength, mynetworks, relayDomains, tls, auth, proxy);
    }

    /**
     * STARTTLS key material, PEM files. Both absent: a self-signed EC P-256 certificate is generated on first start
     * into the state directory ({@code <state>/smtp-tls/}) and reused afterwards.
     *
     * @param certificate PEM certificate (chain, leaf first)
     * @param privateKey  PEM private key (PKCS#8 or traditional, unencrypted)
     */
    public record Tls(Path certificate, Path privateKey) {
        public Tls {
            require((certificate == null) == (privateKey == null), "smtp.tls",
                    "give both certificate and privateKey, or neither");
        }
    }

    /**
     * HAProxy's PROXY protocol (version 1 text or version 2 binary, both accepted) on the SMTP listener. A connection
     * from one of {@code loadBalancers} must begin with a header within {@code headerTimeoutSeconds}; the client
     * address it carries is then the session's client address (relay control, Received header, envelope, logs). A
     * connection from any other address is an ordinary SMTP client: a PROXY header from it is refused.
     *
     * @param loadBalancers        CIDRs or addresses of the load balancers (default none: PROXY protocol off)
     * @param headerTimeoutSeconds how long a balancer's connection may take to send its header (default 5)
     */
    public record ProxyProtocol(List<String> loadBalancers, Integer headerTimeoutSeconds) {
        public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 5;

        public ProxyProtocol {
            loadBalancers = loadBalancers == null ? List.of() : List.copyOf(loadBalancers);
            headerTimeoutSeconds = headerTimeoutSeconds == null ? DEFAULT_HEADER_TIMEOUT_SECONDS
                    : headerTimeoutSeconds;
            require(headerTimeoutSeconds > 0 && headerTimeoutSeconds <= 300, "smtp.proxyProtocol.headerTimeoutSeconds",
                    "must be 1..300, is " + headerTimeoutSeconds);
            NetworkList.parse("smtp.proxyProtocol.loadBalancers", loadBalancers); // fails naming the entry
        }

        /** Whether any load balancer is configured. */
        public boolean enabled() {
            return !loadBalancers.isEmpty();
        }
    }

    /** SMTP AUTH (PLAIN, LOGIN; only after STARTTLS). */
    public record Auth(List<User> users) {
        public Auth {
            users = users == null ? List.of() : List.copyOf(users);
        }
    }

    /**
     * @param name         login name
     * @param passwordHash {@code pbkdf2-sha256:<iterations>:<base64 salt>:<base64 hash>} (see {@link PasswordHasher})
     */
    public record User(String name, String passwordHash) {
        public User {
            require(name != null && !name.isBlank(), "smtp.auth.users.name", "must be set");
            require(PasswordHasher.isWellFormed(passwordHash), "smtp.auth.users[" + name + "].passwordHash",
                    "must be pbkdf2-sha256:<iterations>:<base64 salt>:<base64 hash>");
        }
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + message);
        }
    }
}
