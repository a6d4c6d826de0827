package org.smimegw.certstore.ldap;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.GetEntryLDAPConnectionPoolHealthCheck;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.SecretReferences;

/**
 * The connections to the directory {@code certstore.ldap} names, as every directory user of the certificate store
 * needs them ({@link LdapCertificateSource}, {@link LdapTrustSource}, {@link LdapCertificatePublisher}): the URLs in
 * failover order, LDAPS or StartTLS with the configured trust and a host name check, a simple bind with a password
 * reference, the timeouts, and a pool created on first use (so the gateway starts while the directory is down).
 * <p>
 * {@link #withConnection} turns every failure to ask the directory (connect, bind, TLS, timeout, busy, any LDAP error)
 * into a {@link DirectoryUnavailableException}; a broken pooled connection is replaced and the work retried once;
 * after no server could be reached, calls fail at once for {@code retryAfterFailureMillis}.
 */
final class LdapConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LdapConnections.class);

    /** Work with one connection; LDAP failures are thrown as they are and mapped by {@link #withConnection}. */
    @FunctionalInterface
    interface Work<T> {
        T run(LDAPConnection connection) throws LDAPException;
    }

    private final LdapConfig config;
    private final Clock clock;
    private final String poolName;
    private final String name;
    private final String scheme;
    private final FailoverServerSet serverSet;
    private final BindRequest bindRequest;
    private final Object poolLock = new Object();
    private volatile LDAPConnectionPool pool;
    private volatile boolean closed;
    private volatile Instant retryAt = Instant.EPOCH;
    private volatile String lastConnectFailure = "";

    /**
     * Checks URLs, TLS and bind settings and resolves the password references; connects on first use.
     *
     * @param poolName names the pool in UnboundID's diagnostics
     * @throws IllegalArgumentException naming the {@code certstore.ldap.*} key that is wrong and why
     */
    LdapConnections(LdapConfig config, SecretReferences secrets, Clock clock, String poolName) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.poolName = poolName;
        Objects.requireNonNull(secrets, "secrets");
        if (config.urls().isEmpty()) {
            throw new IllegalArgumentException("certstore.ldap.urls: at least one ldap:// or ldaps:// URL is needed");
        }
        String[] hosts = new String[config.urls().size()];
        int[] ports = new int[hosts.length];
        String firstScheme = null;
        for (int i = 0; i < hosts.length; i++) {
            String url = config.urls().get(i);
            LDAPURL parsed;
            try {
                parsed = new LDAPURL(url);
            } catch (LDAPException e) {
                throw new IllegalArgumentException("certstore.ldap.urls: not an LDAP URL: " + url + " ("
                        + e.getMessage() + ")", e);
            }
            String s = parsed.getScheme().toLowerCase(Locale.ROOT);
            if (firstScheme != null && !firstScheme.equals(s)) {
                throw new IllegalArgumentException("certstore.ldap.urls: mixes " + firstScheme + " and " + s
                        + " URLs; use one scheme for all");
            }
            firstScheme = s;
            if (!parsed.hostProvided()) {
                throw new IllegalArgumentException("certstore.ldap.urls: no host in " + url);
            }
            hosts[i] = parsed.getHost();
            ports[i] = parsed.getPort();
        }
        this.scheme = firstScheme;
        boolean ldaps = scheme.equals("ldaps");
        if (ldaps && config.startTls()) {
            throw new IllegalArgumentException("certstore.ldap.startTls: cannot be used with ldaps:// URLs");
        }
        this.name = String.join(",", config.urls());

        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(config.connectTimeoutMillis());
        options.setResponseTimeoutMillis(config.responseTimeoutMillis());
        options.setAbandonOnTimeout(true);
        options.setUseSynchronousMode(true);
        SocketFactory socketFactory = null;
        PostConnectProcessor postConnect = null;
        if (ldaps || config.startTls()) {
            SSLUtil ssl = new SSLUtil(trustManager(config, secrets));
            if (!config.insecureTrustAll()) {
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            }
            try {
                if (ldaps) {
                    socketFactory = ssl.createSSLSocketFactory();
                } else {
                    postConnect = new StartTLSPostConnectProcessor(ssl.createSSLSocketFactory());
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certstore.ldap: cannot set up TLS: " + e.getMessage(), e);
            }
        }
        BindRequest bind = null;
        if (config.bindDn() != null) {
            dn("certstore.ldap.bindDn", config.bindDn());
            char[] password = secrets.resolve("certstore.ldap.bindPassword", config.bindPassword());
            bind = new SimpleBindRequest(config.bindDn(), new String(password).getBytes(StandardCharsets.UTF_8));
            Arrays.fill(password, '\0');
        } else if (config.bindPassword() != null) {
            throw new IllegalArgumentException("certstore.ldap.bindPassword is set but certstore.ldap.bindDn is not");
        }
        this.bindRequest = bind;
        this.serverSet = new FailoverServerSet(hosts, ports, socketFactory, options, bind, postConnect);
        // connections made to a later URL while an earlier one was down are recycled after a while, so the pool
        // returns to the first server once it is back
        serverSet.setMaxFailoverConnectionAgeMillis(15 * 60_000L);
    }

    /** The URLs, comma-separated: the directory's name in messages. */
    String name() {
        return name;
    }

    /** {@code ldap} or {@code ldaps}. */
    String scheme() {
        return scheme;
    }

    /**
     * Runs {@code work} on a pooled connection; when the connection turns out to be broken it is replaced and the
     * work retried once (e.g. the server behind it failed over). Every LDAP failure becomes
     * {@link DirectoryUnavailableException}.
     */
    <T> T withConnection(String what, Work<T> work) throws DirectoryUnavailableException {
        Instant now = clock.instant();
        if (now.isBefore(retryAt)) {
            throw new DirectoryUnavailableException(name + ": " + what + " not attempted: no server reachable ("
                    + lastConnectFailure + "); next attempt after " + retryAt);
        }
        LDAPException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            LDAPConnection connection;
            LDAPConnectionPool p;
            try {
                p = pool();
                connection = p.getConnection();
            } catch (LDAPException e) {
                if (!ResultCode.isConnectionUsable(e.getResultCode())) {
                    lastConnectFailure = String.valueOf(e.getResultCode());
                    retryAt = clock.instant().plusMillis(config.retryAfterFailureMillis());
                }
                throw unavailable(what, e);
            }
            try {
                T result = work.run(connection);
                p.releaseConnection(connection);
                return result;
            } catch (LDAPException e) {
                if (ResultCode.isConnectionUsable(e.getResultCode())) {
                    p.releaseConnection(connection);
                    throw unavailable(what, e);
                }
                p.releaseDefunctConnection(connection);
                last = e;
            } catch (RuntimeException e) {
                p.releaseDefunctConnection(connection);
                throw e;
            }
        }
        throw unavailable(what, last);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (poolLock) {
            if (pool != null) {
                pool.close();
                pool = null;
            }
        }
    }

    /** {@code value} as a DN, null when null. */
    static DN dn(String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            return new DN(value);
        } catch (LDAPException e) {
            throw new IllegalArgumentException(key + ": not a valid DN: " + value, e);
        }
    }

    private LDAPConnectionPool pool() throws LDAPException {
        LDAPConnectionPool p = pool;
        if (p != null) {
            return p;
        }
        synchronized (poolLock) {
            if (closed) {
                throw new LDAPException(ResultCode.LOCAL_ERROR, "closed");
            }
            if (pool == null) {
                GetEntryLDAPConnectionPoolHealthCheck health = new GetEntryLDAPConnectionPoolHealthCheck(
                        "", config.responseTimeoutMillis(), false, false, false, false, true, true);
                LDAPConnectionPool created = new LDAPConnectionPool(serverSet, bindRequest, 1, config.poolSize(), 1,
                        null, true, health);
                created.setConnectionPoolName(poolName);
                created.setHealthCheckIntervalMillis(30_000);
                pool = created;
                LOG.info("connected to LDAP directory {} ({})", name, poolName);
            }
            return pool;
        }
    }

    static TrustManager trustManager(LdapConfig config, SecretReferences secrets) {
        if (config.insecureTrustAll()) {
            LOG.warn("certstore.ldap.insecureTrustAll is on: any directory server certificate is trusted");
            return new TrustAllTrustManager();
        }
        if (config.trustStore() == null) {
            return null;
        }
        File file = new File(config.trustStore());
        if (!file.canRead()) {
            throw new IllegalArgumentException("certstore.ldap.trustStore: cannot read " + file);
        }
        char[] password = config.trustStorePasswordRef() == null ? null
                : secrets.resolve("certstore.ldap.trustStorePasswordRef", config.trustStorePasswordRef());
        return new TrustStoreTrustManager(file, password, null, true);
    }

    private DirectoryUnavailableException unavailable(String what, LDAPException e) {
        String message = name + ": " + what + " failed: " + e.getResultCode()
                + (e.getDiagnosticMessage() != null ? " (" + e.getDiagnosticMessage() + ")"
                : " (" + e.getExceptionMessage() + ")");
        LOG.warn(message);
        return new DirectoryUnavailableException(message, e);
    }
}
