package org.smimegw.certstore.ldap;

import org.smimegw.certstore.SecretReferences;
import java.time.Duration;
import java.util.List;

import org.smimegw.certstore.cache.CacheSettings;

/**
 * The {@code certstore.ldap:} section of the gateway configuration. Every component may be left out (null); the
 * compact constructor fills in the default. Passwords are never values here, only references
 * ({@code env:NAME} or {@code file:PATH}), resolved by {@link SecretReferences}.
 *
 * @param urls                   {@code ldap://host:port} or {@code ldaps://host:port}, tried in order (failover);
 *                               all must use the same scheme. Required.
 * @param baseDn                 where user entries are searched (subtree). Required.
 * @param filter                 search filter template; every {@code {0}} is replaced by the escaped address.
 *                               Default {@value #DEFAULT_FILTER}
 * @param bindDn                 DN to bind as; anonymous when null
 * @param bindPassword           reference to the bind password, {@code env:NAME} or {@code file:PATH}
 * @param startTls               use StartTLS on {@code ldap://} URLs (default false)
 * @param trustStore             trust store file (PKCS#12 or JKS) for LDAPS/StartTLS; JVM default trust when null
 * @param trustStorePasswordRef  reference to the trust store password (optional)
 * @param insecureTrustAll       trust any server certificate and skip host name checks; tests only (default false)
 * @param connectTimeoutMillis   default 3000
 * @param responseTimeoutMillis  default 5000
 * @param poolSize               maximum pooled connections (default 4)
 * @param cacheTtlSeconds        how long found certificates are cached (default 300)
 * @param negativeCacheTtlSeconds how long "no certificate" is cached (default 60)
 * @param harvestBaseDn          subtree harvested certificates are written to and also searched; off when null
 * @param harvestObjectClasses   object classes of new harvest entries
 *                               (default top, person, organizationalPerson, inetOrgPerson)
 * @param cacheMaxEntries        addresses kept in the cache (default 10000)
 * @param cacheStaleIfUnavailableSeconds how long after expiry cached certificates are still served while the
 *                               directory is unavailable (default 3600; 0 = never)
 * @param retryAfterFailureMillis after no server could be reached, lookups fail at once (as unavailable) for this
 *                               long instead of each waiting for the connect timeout (default 2000; 0 = off)
 * @param trustBaseDn            subtree whose {@code cACertificate} and {@code certificateRevocationList} values join
 *                               the trust collection (self-signed CA certificates as anchors, others as
 *                               intermediates); off when null
 * @param trustRefreshSeconds    how often the trust subtree is read again (default 300; also on reload)
 */
public record LdapConfig(List<String> urls, String baseDn, String filter, String bindDn, String bindPassword,
                         Boolean startTls, String trustStore, String trustStorePasswordRef, Boolean insecureTrustAll,
                         Integer connectTimeoutMillis, Integer responseTimeoutMillis, Integer poolSize,
                         Integer cacheTtlSeconds, Integer negativeCacheTtlSeconds, String harvestBaseDn,
                         List<String> harvestObjectClasses, Integer cacheMaxEntries,
                         Integer cacheStaleIfUnavailableSeconds, Integer retryAfterFailureMillis,
                         String trustBaseDn, Integer trustRefreshSeconds) {

    public static final String DEFAULT_FILTER = "(|(mail={0})(proxyAddresses=smtp:{0}))";
    public static final List<String> DEFAULT_HARVEST_OBJECT_CLASSES =
            List.of("top", "person", "organizationalPerson", "inetOrgPerson");

    public LdapConfig {
        urls = urls == null ? List.of() : List.copyOf(urls);
        filter = blankToNull(filter) == null ? DEFAULT_FILTER : filter.trim();
        bindDn = blankToNull(bindDn);
        bindPassword = blankToNull(bindPassword);
        startTls = startTls != null && startTls;
        trustStore = blankToNull(trustStore);
        trustStorePasswordRef = blankToNull(trustStorePasswordRef);
        insecureTrustAll = insecureTrustAll != null && insecureTrustAll;
        connectTimeoutMillis = positive(connectTimeoutMillis, 3000, "connectTimeoutMillis");
        responseTimeoutMillis = positive(responseTimeoutMillis, 5000, "responseTimeoutMillis");
        poolSize = positive(poolSize, 4, "poolSize");
        cacheTtlSeconds = notNegative(cacheTtlSeconds, 300, "cacheTtlSeconds");
        negativeCacheTtlSeconds = notNegative(negativeCacheTtlSeconds, 60, "negativeCacheTtlSeconds");
        harvestBaseDn = blankToNull(harvestBaseDn);
        harvestObjectClasses = harvestObjectClasses == null || harvestObjectClasses.isEmpty()
                ? DEFAULT_HARVEST_OBJECT_CLASSES : List.copyOf(harvestObjectClasses);
        cacheMaxEntries = positive(cacheMaxEntries, 10_000, "cacheMaxEntries");
        cacheStaleIfUnavailableSeconds = notNegative(cacheStaleIfUnavailableSeconds, 3600,
                "cacheStaleIfUnavailableSeconds");
        retryAfterFailureMillis = notNegative(retryAfterFailureMillis, 2000, "retryAfterFailureMillis");
        trustBaseDn = blankToNull(trustBaseDn);
        trustRefreshSeconds = positive(trustRefreshSeconds, 300, "trustRefreshSeconds");
    }

    /** A configuration with the defaults for everything but the URLs and base DN. */
    public static LdapConfig of(List<String> urls, String baseDn) {
        return new LdapConfig(urls, baseDn, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    public LdapConfig withBind(String dn, String passwordReference) {
        return new LdapConfig(urls, baseDn, filter, dn, passwordReference, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectTimeoutMillis, responseTimeoutMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, harvestBaseDn, harvestObjectClasses, cacheMaxEntries,
                cacheStaleIfUnavailableSeconds, retryAfterFailureMillis, trustBaseDn, trustRefreshSeconds);
    }

    public LdapConfig withFilter(String template) {
        return new LdapConfig(urls, baseDn, template, bindDn, bindPassword, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectTimeoutMillis, responseTimeoutMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, harvestBaseDn, harvestObjectClasses, cacheMaxEntries,
                cacheStaleIfUnavailableSeconds, retryAfterFailureMillis, trustBaseDn, trustRefreshSeconds);
    }

    public LdapConfig withTls(boolean startTls, String trustStore, String trustStorePasswordRef,
                              boolean insecureTrustAll) {
        return new LdapConfig(urls, baseDn, filter, bindDn, bindPassword, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectTimeoutMillis, responseTimeoutMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, harvestBaseDn, harvestObjectClasses, cacheMaxEntries,
                cacheStaleIfUnavailableSeconds, retryAfterFailureMillis, trustBaseDn, trustRefreshSeconds);
    }

    public LdapConfig withTimeouts(int connectMillis, int responseMillis) {
        return new LdapConfig(urls, baseDn, filter, bindDn, bindPassword, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectMillis, responseMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, harvestBaseDn, harvestObjectClasses, cacheMaxEntries,
                cacheStaleIfUnavailableSeconds, retryAfterFailureMillis, trustBaseDn, trustRefreshSeconds);
    }

    public LdapConfig withHarvestBaseDn(String dn) {
        return new LdapConfig(urls, baseDn, filter, bindDn, bindPassword, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectTimeoutMillis, responseTimeoutMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, dn, harvestObjectClasses, cacheMaxEntries, cacheStaleIfUnavailableSeconds,
                retryAfterFailureMillis, trustBaseDn, trustRefreshSeconds);
    }

    public LdapConfig withRetryAfterFailureMillis(int millis) {
        return new LdapConfig(urls, baseDn, filter, bindDn, bindPassword, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectTimeoutMillis, responseTimeoutMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, harvestBaseDn, harvestObjectClasses, cacheMaxEntries,
                cacheStaleIfUnavailableSeconds, millis, trustBaseDn, trustRefreshSeconds);
    }

    public LdapConfig withTrustBaseDn(String dn) {
        return new LdapConfig(urls, baseDn, filter, bindDn, bindPassword, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectTimeoutMillis, responseTimeoutMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, harvestBaseDn, harvestObjectClasses, cacheMaxEntries,
                cacheStaleIfUnavailableSeconds, retryAfterFailureMillis, dn, trustRefreshSeconds);
    }

    public LdapConfig withTrustRefreshSeconds(int seconds) {
        return new LdapConfig(urls, baseDn, filter, bindDn, bindPassword, startTls, trustStore, trustStorePasswordRef,
                insecureTrustAll, connectTimeoutMillis, responseTimeoutMillis, poolSize, cacheTtlSeconds,
                negativeCacheTtlSeconds, harvestBaseDn, harvestObjectClasses, cacheMaxEntries,
                cacheStaleIfUnavailableSeconds, retryAfterFailureMillis, trustBaseDn, seconds);
    }

    /** The cache settings for a {@link org.smimegw.certstore.cache.CachingCertificateSource} in front of LDAP. */
    public CacheSettings cacheSettings() {
        return new CacheSettings(Duration.ofSeconds(cacheTtlSeconds), Duration.ofSeconds(negativeCacheTtlSeconds),
                cacheMaxEntries, Duration.ofSeconds(cacheStaleIfUnavailableSeconds));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int positive(Integer value, int dflt, String name) {
        if (value == null) {
            return dflt;
        }
        if (value <= 0) {
            throw new IllegalArgumentException("certstore.ldap." + name + " must be positive, was " + value);
        }
        return value;
    }

    private static int notNegative(Integer value, int dflt, String name) {
        if (value == null) {
            return dflt;
        }
        if (value < 0) {
            throw new IllegalArgumentException("certstore.ldap." + name + " must not be negative, was " + value);
        }
        return value;
    }
}
