package org.smimegw.gateway.app;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CompositeCertificateStore;
import org.smimegw.certstore.KeySource;
import org.smimegw.certstore.MergedTrust;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.cache.CachingCertificateSource;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.StoredCertificate;
import org.smimegw.certstore.ldap.LdapCertificateSource;
import org.smimegw.certstore.ldap.LdapTrustSource;
import org.smimegw.certstore.pkcs11.Pkcs11KeySource;
import org.smimegw.certstore.validation.PkixCertificateValidator;

/**
 * The certificate store the {@code certstore:} section describes, as the gateway and the {@code certs} command use it:
 * <ul>
 *   <li>the embedded {@link FileCertificateStore} (always): keys, published certificates, harvested certificates,
 *       the trust collection;</li>
 *   <li>with {@code certstore.ldap}: the {@link DirectorySource}, an {@link LdapCertificateSource} behind a
 *       {@link CachingCertificateSource}, as a second source of published certificates and, when
 *       {@code harvestBaseDn} is set, a second harvest sink; with {@code certstore.ldap.trustBaseDn} also an
 *       {@link LdapTrustSource}, whose anchors, intermediates and CRLs join the file store's trust collection
 *       ({@link MergedTrust});</li>
 *   <li>with {@code certstore.pkcs11}: a {@link Pkcs11KeySource} as a second key source ({@code HARDWARE} keys).</li>
 * </ul>
 * combined in a {@link CompositeCertificateStore} (the {@code CertificateStore} mailets get), plus the
 * {@link PkixCertificateValidator} over the trust collection. {@link #close()} closes the directory connections and
 * the token.
 */
public final class CertificateServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateServices.class);

    private final CertStoreConfig config;
    private final FileCertificateStore fileStore;
    private final DirectorySource directory;
    private final Pkcs11KeySource token;
    private final Supplier<TrustCollection> trust;
    private final CompositeCertificateStore store;
    private final PkixCertificateValidator validator;

    private CertificateServices(CertStoreConfig config, FileCertificateStore fileStore, DirectorySource directory,
                                Pkcs11KeySource token, Supplier<TrustCollection> trust,
                                CompositeCertificateStore store, PkixCertificateValidator validator) {
        this.config = config;
        this.fileStore = fileStore;
        this.directory = directory;
        this.token = token;
        this.trust = trust;
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
        SecretReferences secrets = new SecretReferences(environment);
        DirectorySource directory = new DirectorySource(secrets, clock);
        List<KeySource> keySources = new ArrayList<>(List.of(fileStore));
        Pkcs11KeySource token = null;
        try {
            directory.configure(config.ldap());
            if (config.pkcs11() != null) {
                token = new Pkcs11KeySource(config.pkcs11(), secrets, clock);
                keySources.add(token);
                log.debug("key source: PKCS#11 {} ({} address(es) with keys)", token.name(), token.addresses().size());
            }
        } catch (RuntimeException e) {
            closeQuietly(directory);
            closeQuietly(token);
            throw e;
        }
        // the directory's trust is empty without trustBaseDn: then the file store's collection is used as it is
        Supplier<TrustCollection> trust = new MergedTrust(List.of(fileStore::trust, directory::trust));
        CompositeCertificateStore store = new CompositeCertificateStore(keySources, List.of(fileStore, directory),
                List.of(fileStore, directory), trust, clock);
        PkixCertificateValidator validator = new PkixCertificateValidator(trust, config.revocation(), clock);
        return new CertificateServices(config, fileStore, directory, token, trust, store, validator);
    }

    /** The store mailets use: file store + directory + token. */
    public CertificateStore store() {
        return store;
    }

    /** The embedded store (imports, listing, removal). */
    public FileCertificateStore fileStore() {
        return fileStore;
    }

    /** The trust the validator uses: the file store's imports and, with {@code trustBaseDn}, the directory's. */
    public TrustCollection trust() {
        return trust.get();
    }

    public PkixCertificateValidator validator() {
        return validator;
    }

    /** The LDAP cache in use, when a directory is configured (counters, invalidation). */
    public Optional<CachingCertificateSource> ldapCache() {
        return directory.cache();
    }

    /** Why the LDAP directory cannot be reached (asked now), or empty when it can or none is configured. */
    public Optional<String> directoryUnreachable() {
        return directory.unreachable();
    }

    /** The token, when one is configured. */
    public Optional<Pkcs11KeySource> token() {
        return Optional.ofNullable(token);
    }

    /**
     * The certificate of every key the gateway holds for an internal user, by address: the file store's keys and the
     * token's (a certificate with several addresses is listed under each).
     */
    public List<AddressedCertificate> keyCertificates() {
        List<AddressedCertificate> all = new ArrayList<>();
        for (StoredCertificate stored : fileStore.list()) {
            if (stored.kind() == StoredCertificate.Kind.USER_KEY) {
                stored.addresses().stream().sorted()
                        .forEach(a -> all.add(new AddressedCertificate(a, stored.certificate())));
            }
        }
        if (token != null) {
            for (String address : token.addresses()) {
                token.keys(address).forEach(k -> all.add(new AddressedCertificate(address, k.certificate())));
            }
        }
        return all;
    }

    /** A user's certificate and the address it is held under. */
    public record AddressedCertificate(String address, X509Certificate certificate) {
    }

    /** {@link #reload(CertStoreConfig)} with the settings it was opened with. */
    public String reload() {
        return reload(config);
    }

    /**
     * Re-reads what can change under a running gateway: the file store (it also notices changes by itself within a
     * second), the token's key list, and the directory settings {@code certstore.ldap} of {@code settings}: the same
     * settings keep the directory's connections and its cache (so answers it may serve while the directory is down
     * survive the reload) and read the trust subtree again, changed ones replace connections, cache and trust source.
     * Returns a one-line summary.
     *
     * @throws IllegalArgumentException when {@code settings} change anything else of {@code certstore:} (a restart
     *                                  applies that) or a {@code certstore.ldap.*} key is wrong; nothing is changed
     */
    public String reload(CertStoreConfig settings) {
        List<String> restartOnly = new ArrayList<>();
        if (!Objects.equals(settings.directory(), config.directory())) {
            restartOnly.add("certstore.directory");
        }
        if (!Objects.equals(settings.keyPassword(), config.keyPassword())) {
            restartOnly.add("certstore.keyPassword");
        }
        if (!Objects.equals(settings.revocation(), config.revocation())) {
            restartOnly.add("certstore.revocation");
        }
        if (!Objects.equals(settings.pkcs11(), config.pkcs11())) {
            restartOnly.add("certstore.pkcs11");
        }
        if (!restartOnly.isEmpty()) {
            throw new IllegalArgumentException("certstore: a reload applies certstore.ldap only; restart the gateway "
                    + "to change " + String.join(", ", restartOnly));
        }
        List<String> done = new ArrayList<>();
        done.add(directory.configure(settings.ldap()));
        fileStore.refresh();
        done.add("file store re-read");
        if (token != null) {
            token.reload();
            done.add("token keys re-read");
        }
        return "certstore: " + String.join(", ", done);
    }

    @Override
    public void close() {
        closeQuietly(directory);
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
