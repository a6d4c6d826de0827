package org.smimegw.gateway.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateSource;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CompositeCertificateStore;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestSink;
import org.smimegw.certstore.KeySource;
import org.smimegw.certstore.MergedTrust;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.cache.CachingCertificateSource;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.ldap.LdapCertificateSource;
import org.smimegw.certstore.ldap.LdapTrustSource;
import org.smimegw.certstore.pkcs11.Pkcs11KeySource;
import org.smimegw.certstore.validation.PkixCertificateValidator;

/**
 * The certificate store the {@code certstore:} section describes, as the gateway and the {@code certs} command use it:
 * <ul>
 *   <li>the embedded {@link FileCertificateStore} (always): keys, published certificates, harvested certificates,
 *       the trust collection;</li>
 *   <li>with {@code certstore.ldap}: a {@link CachingCertificateSource} around an {@link LdapCertificateSource} as a
 *       second source of published certificates, and, when {@code harvestBaseDn} is set, the directory as a second
 *       harvest sink (through the cache's {@code invalidating} wrapper, so a harvested certificate is used at once);</li>
 *   <li>with {@code certstore.ldap.trustBaseDn}: an {@link LdapTrustSource}, whose anchors, intermediates and CRLs
 *       join the file store's trust collection ({@link MergedTrust});</li>
 *   <li>with {@code certstore.pkcs11}: a {@link Pkcs11KeySource} as a second key source ({@code HARDWARE} keys).</li>
 * </ul>
 * combined in a {@link CompositeCertificateStore} (the {@code CertificateStore} mailets get), plus the
 * {@link PkixCertificateValidator} over the trust collection. {@link #close()} closes the directory connections and
 * the token.
 */
public final class CertificateServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateServices.class);

    private final FileCertificateStore fileStore;
    private final CachingCertificateSource ldapCache;
    private final LdapCertificateSource ldap;
    private final Pkcs11KeySource token;
    private final LdapTrustSource directoryTrust;
    private final CompositeCertificateStore store;
    private final PkixCertificateValidator validator;

    private CertificateServices(FileCertificateStore fileStore, LdapCertificateSource ldap,
                                CachingCertificateSource ldapCache, Pkcs11KeySource token,
                                LdapTrustSource directoryTrust, CompositeCertificateStore store,
                                PkixCertificateValidator validator) {
        this.fileStore = fileStore;
        this.ldap = ldap;
        this.ldapCache = ldapCache;
        this.token = token;
        this.directoryTrust = directoryTrust;
        this.store = store;
        this.validator = validator;
    }

    /**
     * Opens what {@code config} names. The directory is connected on the first lookup (the gateway starts while it is
     * down); the token is logged in now.
     *
     * @param base        what relative paths are resolved against
     * @param environment environment variables (password and PIN references {@code env:NAME})
     * @throws IllegalArgumentException naming the {@code certstore.*} key that is wrong
     * @throws RuntimeException         e.g. {@code TokenException} when the token cannot be used
     */
    public static CertificateServices open(CertStoreConfig config, Path base, Function<String, String> environment,
                                           Clock clock) {
        FileCertificateStore fileStore = FileCertificateStore.fromConfig(config, base, environment);
        List<KeySource> keySources = new ArrayList<>(List.of(fileStore));
        List<CertificateSource> sources = new ArrayList<>(List.of(fileStore));
        List<HarvestSink> sinks = new ArrayList<>(List.of(fileStore));
        SecretReferences secrets = new SecretReferences(environment);
        LdapCertificateSource ldap = null;
        CachingCertificateSource ldapCache = null;
        Pkcs11KeySource token = null;
        LdapTrustSource directoryTrust = null;
        try {
            if (config.ldap() != null) {
                ldap = new LdapCertificateSource(config.ldap(), secrets, clock);
                ldapCache = new CachingCertificateSource(ldap, config.ldap().cacheSettings(), clock);
                sources.add(ldapCache);
                if (ldap.harvestEnabled()) {
                    sinks.add(ldapCache.invalidating(ldap));
                }
                log.debug("certificate source: LDAP {} (base {}, harvest {})", ldap.name(), config.ldap().baseDn(),
                        ldap.harvestEnabled() ? config.ldap().harvestBaseDn() : "off");
            }
            if (config.ldap() != null && config.ldap().trustBaseDn() != null) {
                directoryTrust = new LdapTrustSource(config.ldap(), secrets, clock);
                directoryTrust.start();
            }
            if (config.pkcs11() != null) {
                token = new Pkcs11KeySource(config.pkcs11(), secrets, clock);
                keySources.add(token);
                log.debug("key source: PKCS#11 {} ({} address(es) with keys)", token.name(), token.addresses().size());
            }
        } catch (RuntimeException e) {
            closeQuietly(ldap);
            closeQuietly(directoryTrust);
            closeQuietly(token);
            throw e;
        }
        Supplier<TrustCollection> trust = directoryTrust == null ? fileStore::trust
                : new MergedTrust(List.of(fileStore::trust, directoryTrust));
        CompositeCertificateStore store = new CompositeCertificateStore(keySources, sources, sinks, trust, clock);
        PkixCertificateValidator validator = new PkixCertificateValidator(trust, config.revocation(), clock);
        return new CertificateServices(fileStore, ldap, ldapCache, token, directoryTrust, store, validator);
    }

    /** The store mailets use: file store + directory + token. */
    public CertificateStore store() {
        return store;
    }

    /** The embedded store (imports, listing, removal). */
    public FileCertificateStore fileStore() {
        return fileStore;
    }

    public PkixCertificateValidator validator() {
        return validator;
    }

    /** The LDAP cache, when a directory is configured (counters, invalidation). */
    public Optional<CachingCertificateSource> ldapCache() {
        return Optional.ofNullable(ldapCache);
    }

    /** The token, when one is configured. */
    public Optional<Pkcs11KeySource> token() {
        return Optional.ofNullable(token);
    }

    /**
     * Re-reads what can change under a running gateway: the file store (it also notices changes by itself within a
     * second), the directory cache (dropped, so the next lookups ask the directory), the token's key list.
     * Returns a one-line summary.
     */
    public String reload() {
        List<String> done = new ArrayList<>();
        fileStore.refresh();
        done.add("file store re-read");
        if (ldapCache != null) {
            ldapCache.invalidateAll();
            done.add("LDAP cache cleared");
        }
        if (token != null) {
            token.reload();
            done.add("token keys re-read");
        }
        if (directoryTrust != null) {
            try {
                done.add(directoryTrust.refresh());
            } catch (DirectoryUnavailableException e) {
                done.add("directory trust NOT re-read (" + e.getMessage() + "), the last one stays");
            }
        }
        return "certstore: " + String.join(", ", done);
    }

    @Override
    public void close() {
        closeQuietly(ldap);
        closeQuietly(directoryTrust);
        closeQuietly(token);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
