package org.smimegw.gateway.app;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.CertificateSource;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestSink;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.cache.CachingCertificateSource;
import org.smimegw.certstore.ldap.LdapCertificateSource;
import org.smimegw.certstore.ldap.LdapConfig;
import org.smimegw.certstore.ldap.LdapTrustSource;

/**
 * The LDAP directory as the composite store sees it: the {@link LdapCertificateSource} of {@code certstore.ldap}
 * behind its {@link CachingCertificateSource} (harvests written back through the cache's {@code invalidating}
 * wrapper when {@code harvestBaseDn} is set), and, when {@code trustBaseDn} is set, the {@link LdapTrustSource}
 * whose anchors, intermediates and CRLs {@link #trust()} gives; or nothing when no directory is configured.
 * {@link #configure} keeps source, cache (with what they know) and trust source as long as the settings are the same
 * (the trust subtree is read again), and replaces all of them when they changed, so a reload does not throw away the
 * answers {@code cacheStaleIfUnavailableSeconds} is there to serve. Safe for concurrent use.
 */
final class DirectorySource implements CertificateSource, HarvestSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectorySource.class);

    /** {@code trust} is null without {@code trustBaseDn}. */
    private record Directory(LdapConfig config, LdapCertificateSource source, CachingCertificateSource cache,
                             LdapTrustSource trust) {
        void close() {
            if (trust != null) {
                trust.close();
            }
            source.close();
        }
    }

    private final SecretReferences secrets;
    private final Clock clock;
    private volatile Directory current;

    DirectorySource(SecretReferences secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Uses the directory {@code config} describes (null: none). Unchanged settings keep the connections and the
     * cache and read the trust subtree again; changed ones open a new source with an empty cache and a new trust
     * source (read once before this returns) and close the old ones. Returns what was done, for the reload summary.
     *
     * @throws IllegalArgumentException naming the {@code certstore.ldap.*} key that is wrong; the old directory stays
     */
    synchronized String configure(LdapConfig config) {
        Directory old = current;
        if (old != null && old.config().equals(config)) {
            String kept = "LDAP cache kept (" + old.cache().size() + " address(es))";
            return old.trust() == null ? kept : kept + ", " + refreshed(old.trust());
        }
        if (old == null && config == null) {
            return "no LDAP directory";
        }
        Directory replacement = null;
        if (config != null) {
            LdapCertificateSource source = new LdapCertificateSource(config, secrets, clock);
            LdapTrustSource trust = null;
            try {
                if (config.trustBaseDn() != null) {
                    trust = new LdapTrustSource(config, secrets, clock);
                    trust.start();
                }
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
            replacement = new Directory(config, source, new CachingCertificateSource(source, config.cacheSettings(),
                    clock), trust);
            log.debug("certificate source: LDAP {} (base {}, harvest {}, trust {})", source.name(), config.baseDn(),
                    source.harvestEnabled() ? config.harvestBaseDn() : "off",
                    trust != null ? config.trustBaseDn() : "off");
        }
        current = replacement;
        if (old != null) {
            old.close();
        }
        return replacement == null ? "LDAP directory removed"
                : old == null ? "LDAP directory " + replacement.source().name()
                : "LDAP settings changed: new connection and empty cache for " + replacement.source().name();
    }

    private static String refreshed(LdapTrustSource trust) {
        try {
            return trust.refresh();
        } catch (DirectoryUnavailableException e) {
            return "directory trust NOT re-read (" + e.getMessage() + "), the last one stays";
        }
    }

    /**
     * The anchors, intermediates and CRLs last read from {@code trustBaseDn}; empty without one (or before the first
     * successful read).
     */
    TrustCollection trust() {
        Directory d = current;
        return d == null || d.trust() == null ? TrustCollection.EMPTY : d.trust().get();
    }

    /** The cache in use, when a directory is configured. */
    Optional<CachingCertificateSource> cache() {
        Directory d = current;
        return d == null ? Optional.empty() : Optional.of(d.cache());
    }

    @Override
    public String name() {
        Directory d = current;
        return d == null ? "ldap (none)" : d.source().name();
    }

    @Override
    public List<PublishedCertificate> lookup(String address) throws DirectoryUnavailableException {
        Directory d = current;
        return d == null ? List.of() : d.cache().lookup(address);
    }

    /** Why the directory cannot be reached now (it was asked), or empty: reachable, or none configured. */
    Optional<String> unreachable() {
        Directory d = current;
        if (d == null) {
            return Optional.empty();
        }
        try {
            d.source().checkReachable();
            return Optional.empty();
        } catch (DirectoryUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Writes back to the harvest subtree when one is configured (and forgets the cached answer for the address). */
    @Override
    public void store(HarvestedCertificate certificate) throws DirectoryUnavailableException {
        Directory d = current;
        if (d != null && d.source().harvestEnabled()) {
            d.cache().invalidating(d.source()).store(Objects.requireNonNull(certificate, "certificate"));
        }
    }

    @Override
    public synchronized void close() {
        Directory d = current;
        current = null;
        if (d != null) {
            d.close();
        }
    }
}
