package org.smimegw.certstore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CertificateStore} the mailets use: keys from the key sources (the file store, later PKCS#11), published
 * certificates from an ordered list of sources (the file store, then e.g. LDAP), harvested certificates written to
 * every sink, and the trust collection from one supplier (the file store's {@link #trust()}).
 * <p>
 * When a source is unavailable and no other source answered with a certificate, {@link #encryptionCertificates}
 * throws {@link DirectoryUnavailableException} so the caller defers instead of sending in clear; when another source
 * had certificates they are returned (encryption still happens) and the outage is logged.
 */
public final class CompositeCertificateStore implements CertificateStore {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeCertificateStore.class);

    private final List<KeySource> keySources;
    private final List<CertificateSource> sources;
    private final List<HarvestSink> harvestSinks;
    private final Supplier<TrustCollection> trust;
    private final Clock clock;

    public CompositeCertificateStore(List<KeySource> keySources, List<CertificateSource> sources,
                                     List<HarvestSink> harvestSinks, Supplier<TrustCollection> trust, Clock clock) {
        this.keySources = List.copyOf(keySources);
        this.sources = List.copyOf(sources);
        this.harvestSinks = List.copyOf(harvestSinks);
        this.trust = trust;
        this.clock = clock;
    }

    @Override
    public List<PublishedCertificate> encryptionCertificates(String address) throws DirectoryUnavailableException {
        List<PublishedCertificate> all = new ArrayList<>();
        DirectoryUnavailableException outage = null;
        for (CertificateSource source : sources) {
            try {
                all.addAll(source.lookup(address));
            } catch (DirectoryUnavailableException e) {
                LOG.warn("certificate source {} unavailable for a lookup: {}", source.name(), e.getMessage());
                if (outage == null) {
                    outage = e;
                } else {
                    outage.addSuppressed(e);
                }
            }
        }
        if (all.isEmpty() && outage != null) {
            throw outage;
        }
        return KeySelection.newestFirst(all, clock.instant());
    }

    @Override
    public Optional<UserKey> signingKey(String address) {
        return KeySelection.signingKey(allKeys(address), clock.instant());
    }

    @Override
    public List<UserKey> decryptionKeys(String address) {
        return KeySelection.decryptionKeys(allKeys(address), clock.instant());
    }

    private List<UserKey> allKeys(String address) {
        List<UserKey> keys = new ArrayList<>();
        for (KeySource s : keySources) {
            keys.addAll(s.keys(address));
        }
        return keys;
    }

    @Override
    public TrustCollection trust() {
        return trust.get();
    }

    /** Stores the certificate in every sink; a sink that is unavailable is reported after the others were tried. */
    @Override
    public void harvest(HarvestedCertificate certificate) throws DirectoryUnavailableException {
        DirectoryUnavailableException outage = null;
        for (HarvestSink sink : harvestSinks) {
            try {
                sink.store(certificate);
            } catch (DirectoryUnavailableException e) {
                outage = e;
            }
        }
        if (outage != null) {
            throw outage;
        }
    }
}
