package org.smimegw.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * YAML {@code console:} — the web console for administrators and the self-service page for users (docs/console.md).
 * Off unless {@code enabled: true}.
 *
 * @param enabled               serve the console (default false)
 * @param bind                  listen address (default 127.0.0.1); any other address is served over TLS only
 * @param port                  TCP port (default 8443; 0 picks a free port)
 * @param tls                   PEM certificate and key; without them, a self-signed pair is generated into
 *                              {@code <stateDir>/console-tls/} when TLS is needed (bind not loopback, or
 *                              {@code clientCertificateCa} set)
 * @param clientCertificateCa   PEM file of the CA(s) whose client certificates log administrators in (optional);
 *                              the certificate's e-mail address or common name must be an administrator's name
 * @param admins                administrators: name and password hash ({@code smime-gateway hash-password})
 * @param selfService           the users' page ({@code /me}): who may log in, what they may download
 * @param auditLog              where every change is written, one JSON object a line (default
 *                              {@code <stateDir>/console/audit.log})
 * @param sessionTimeoutMinutes idle minutes after which a login ends (default 30)
 */
public record ConsoleConfig(boolean enabled, String bind, int port, Tls tls, Path clientCertificateCa,
                            List<Account> admins, SelfService selfService, Path auditLog, int sessionTimeoutMinutes) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_SESSION_TIMEOUT_MINUTES = 30;

    public ConsoleConfig {
        admins = admins == null ? List.of() : List.copyOf(admins);
        tls = tls == null ? new Tls(null, null) : tls;
        selfService = selfService == null ? SelfService.off() : selfService;
    }

    @JsonCreator
    public static ConsoleConfig of(@JsonProperty("enabled") Boolean enabled, @JsonProperty("bind") String bind,
                                   @JsonProperty("port") Integer port, @JsonProperty("tls") Tls tls,
                                   @JsonProperty("clientCertificateCa") Path clientCertificateCa,
                                   @JsonProperty("admins") List<Account> admins,
                                   @JsonProperty("selfService") SelfService selfService,
                                   @JsonProperty("auditLog") Path auditLog,
                                   @JsonProperty("sessionTimeoutMinutes") Integer sessionTimeoutMinutes) {
        return new ConsoleConfig(enabled != null && enabled, bind == null ? DEFAULT_BIND : bind,
                port == null ? DEFAULT_PORT : port, tls, clientCertificateCa, admins, selfService, auditLog,
                sessionTimeoutMinutes == null ? DEFAULT_SESSION_TIMEOUT_MINUTES : sessionTimeoutMinutes);
    }

    public static ConsoleConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null);
    }

    /** Whether the console is served over TLS: always unless it listens on loopback only without client certificates. */
    public boolean usesTls() {
        return tls.certificate() != null || clientCertificateCa != null || !isLoopback(bind);
    }

    /** This section listening on a free port (tests, trial runs). */
    public ConsoleConfig withEphemeralPort() {
        return new ConsoleConfig(enabled, bind, 0, tls, clientCertificateCa, admins, selfService, auditLog,
                sessionTimeoutMinutes);
    }

    static boolean isLoopback(String address) {
        if ("localhost".equalsIgnoreCase(address)) {
            return true;
        }
        if (!ConfigValidator.isIpLiteral(address)) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * @param certificate PEM certificate (chain, leaf first)
     * @param privateKey  PEM private key (PKCS#8 or traditional, unencrypted)
     */
    public record Tls(Path certificate, Path privateKey) {
        @JsonCreator
        public Tls(@JsonProperty("certificate") Path certificate, @JsonProperty("privateKey") Path privateKey) {
            this.certificate = certificate;
            this.privateKey = privateKey;
        }
    }

    /**
     * A login: an administrator's name, or a user's e-mail address, with the password hash {@code hash-password}
     * prints.
     */
    public record Account(String name, String passwordHash) {
        @JsonCreator
        public Account(@JsonProperty("name") String name, @JsonProperty("passwordHash") String passwordHash) {
            this.name = name;
            this.passwordHash = passwordHash;
        }

        @Override
        public String toString() {
            return "Account[" + name + "]"; // never the hash
        }
    }

    /**
     * The users' page.
     *
     * @param enabled        serve {@code /me} (default false)
     * @param users          local accounts (name = the user's e-mail address)
     * @param ldap           also log users in by binding as them to the directory of {@code certstore.ldap}
     *                       (default false)
     * @param pkcs12Download users may download their own key and certificate as PKCS#12, protected with a password
     *                       they choose (default false; software keys only, a token's keys never leave it)
     */
    public record SelfService(boolean enabled, List<Account> users, boolean ldap, boolean pkcs12Download) {
        public SelfService {
            users = users == null ? List.of() : List.copyOf(users);
        }

        @JsonCreator
        public static SelfService of(@JsonProperty("enabled") Boolean enabled,
                                     @JsonProperty("users") List<Account> users, @JsonProperty("ldap") Boolean ldap,
                                     @JsonProperty("pkcs12Download") Boolean pkcs12Download) {
            return new SelfService(enabled != null && enabled, users, ldap != null && ldap,
                    pkcs12Download != null && pkcs12Download);
        }

        public static SelfService off() {
            return of(null, null, null, null);
        }
    }
}
