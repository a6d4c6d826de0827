package org.smimegw.certstore.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateSource;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.HarvestSink;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.KeySelection;
import org.smimegw.certstore.KeySource;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.importer.CertificateFileParser;

/**
 * The embedded certificate store: a directory holding the trust collection, CRLs, users' certificates, users'
 * keys (PKCS#12 protected by the {@link KeyPasswordSource}) and harvested certificates, one file per object
 * ({@link StoreLayout}).
 * <p>
 * Every write is temp + fsync + rename ({@link StoreWriter}), so a reader never sees a partial file. Readers work on
 * an immutable {@link StoreSnapshot} ({@link StoreReader}); at most once per {@code recheckInterval} the store checks
 * the generation marker and the directories' modification times, and reloads when they changed (so an import by the
 * CLI reaches a running gateway without a restart). Its own writes are visible at once. Safe for concurrent use.
 */
public final class FileCertificateStore implements CertificateStore, CertificateSource, HarvestSink, KeySource {

    public static final String SOURCE_NAME = StoreReader.SOURCE_NAME;
    /**
     * A harvested certificate the store already records for the same address, with the same chain and capabilities,
     * is written again only when the time seen it records is older than this: verifying mail from a known sender
     * then writes nothing (each write is two fsynced files and makes every reader reload the store).
     */
    public static final Duration HARVEST_SEEN_GRANULARITY = Duration.ofHours(1);

    private final StoreLayout layout;
    private final StoreReader reader;
    private final StoreWriter writer;
    private final Clock clock;
    private final Duration recheckInterval;
    private final Object reloadLock = new Object();
    private volatile StoreSnapshot snapshot;
    private volatile long nextCheckMillis;
    private volatile boolean dirty = true;

    /**
     * @param directory       the store directory (created when missing)
     * @param keyPassword     the password protecting the stored PKCS#12 files
     * @param clock           time for "newest valid first" and the re-check interval
     * @param recheckInterval how often to look for changes made by other processes (e.g. one second)
     */
    public FileCertificateStore(Path directory, KeyPasswordSource keyPassword, Clock clock, Duration recheckInterval) {
        this.layout = new StoreLayout(directory);
        this.reader = new StoreReader(layout, keyPassword, new CertificateFileParser(), clock);
        this.writer = new StoreWriter(layout, keyPassword, clock, this::refresh);
        this.clock = clock;
        this.recheckInterval = recheckInterval;
    }

    /** A store with the system clock that looks for outside changes at most once a second. */
    public FileCertificateStore(Path directory, KeyPasswordSource keyPassword) {
        this(directory, keyPassword, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    /** The store the {@code certstore:} configuration describes; relative paths resolve against {@code base}. */
    public static FileCertificateStore fromConfig(CertStoreConfig config, Path base, Function<String, String> env) {
        Path dir = base.resolve(config.directory());
        KeyPasswordSource password = new KeyPasswordSource(config.keyPassword(), env,
                config.generatesKeyPassword(base), base);
        return new FileCertificateStore(dir, password);
    }

    public Path directory() {
        return layout.directory();
    }

    // ---------------------------------------------------------------- reading

    @Override
    public String name() {
        return SOURCE_NAME;
    }

    @Override
    public List<PublishedCertificate> lookup(String address) {
        return current().published(address);
    }

    @Override
    public List<PublishedCertificate> encryptionCertificates(String address) {
        return KeySelection.newestFirst(lookup(address), clock.instant());
    }

    @Override
    public List<UserKey> keys(String address) {
        StoreSnapshot s = current();
        List<StoredCertificate> entries = s.keys(address);
        List<UserKey> keys = new ArrayList<>(entries.size());
        for (StoredCertificate e : entries) {
            UserKey k = s.key(e.fingerprint(), reader::readKey);
            if (k != null) {
                keys.add(k);
            }
        }
        return keys;
    }

    @Override
    public Optional<UserKey> signingKey(String address) {
        return KeySelection.signingKey(keys(address), clock.instant());
    }

    @Override
    public List<UserKey> decryptionKeys(String address) {
        return KeySelection.decryptionKeys(keys(address), clock.instant());
    }

    /** The trust collection; the same instance as long as nothing changed (validators cache per instance). */
    @Override
    public TrustCollection trust() {
        return current().trust();
    }

    @Override
    public void harvest(HarvestedCertificate certificate) {
        store(certificate);
    }

    /** Every certificate held, trust first, then users, keys and harvested ones. */
    public List<StoredCertificate> list() {
        return current().all();
    }

    /** Whether a certificate or CRL with this SHA-256 fingerprint is held. */
    public boolean contains(String fingerprint) {
        return current().contains(fingerprint);
    }

    /** Whether a CRL with this fingerprint (of its DER) is held. */
    public boolean containsCrl(X509CRL crl) {
        try {
            return current().crlFingerprints().contains(Certificates.sha256(crl.getEncoded()));
        } catch (CRLException e) {
            return false;
        }
    }

    /** Forces the next read to reload from disk. */
    public void refresh() {
        dirty = true;
    }

    private StoreSnapshot current() {
        StoreSnapshot s = snapshot;
        long now = clock.millis();
        if (s != null && !dirty && now < nextCheckMillis) {
            return s;
        }
        synchronized (reloadLock) {
            s = snapshot;
            now = clock.millis();
            if (s != null && !dirty && now < nextCheckMillis) {
                return s;
            }
            String signature = layout.signature();
            if (s == null || dirty || !signature.equals(s.signature())) {
                dirty = false;
                StoreSnapshot loaded = reader.load(signature);
                loaded.keepUnlockedKeys(s);
                s = loaded;
                snapshot = s;
            }
            nextCheckMillis = now + recheckInterval.toMillis();
            return s;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Adds a CA certificate to the trust collection: a root when self-issued, otherwise an intermediate. */
    public void addTrusted(X509Certificate certificate) throws IOException {
        writer.addTrusted(certificate);
    }

    /** Adds a user's certificate (with its chain, may be empty) to encrypt to the addresses in it. */
    public void addUserCertificate(X509Certificate certificate, List<X509Certificate> chain) throws IOException {
        writer.addUserCertificate(certificate, chain);
    }

    /** Adds a user's private key with its certificate and chain, protected by the store's key password. */
    public void addUserKey(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) throws IOException {
        writer.addUserKey(key, certificate, chain);
    }

    /** Adds a CRL. */
    public void addCrl(X509CRL crl) throws IOException {
        writer.addCrl(crl);
    }

    /**
     * Records a harvested certificate with the sender's capabilities and the time it was seen. A certificate already
     * recorded for the address is updated ({@link HarvestRecord#updatedBy}: an older sighting does not replace newer
     * capabilities); nothing is written when that changes nothing but a time seen less than
     * {@link #HARVEST_SEEN_GRANULARITY} later than the recorded one.
     */
    @Override
    public void store(HarvestedCertificate h) {
        HarvestRecord record = HarvestRecord.of(h, clock.instant());
        HarvestRecord known = current().harvested(Certificates.sha256(h.certificate()), record.address());
        if (known != null) {
            record = known.updatedBy(record);
            if (known.sameAs(record) && !record.seen().isAfter(known.seen().plus(HARVEST_SEEN_GRANULARITY))) {
                return;
            }
        }
        try {
            writer.harvest(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store harvested certificate in " + layout.directory(), e);
        }
    }

    /**
     * Removes every certificate, key or CRL whose SHA-256 fingerprint is {@code fingerprint} (or starts with it, when
     * at least 8 hex digits and unique). Returns what was removed.
     */
    public Removed remove(String fingerprint) throws IOException {
        return writer.remove(fingerprint, this::current);
    }

    /** What {@link #remove} removed: certificates (with their keys) and CRLs, by fingerprint. */
    public record Removed(List<StoredCertificate> certificates, List<String> crls) {
        public Removed {
            certificates = List.copyOf(certificates);
            crls = List.copyOf(crls);
        }

        public boolean isEmpty() {
            return certificates.isEmpty() && crls.isEmpty();
        }
    }

    @Override
    public String toString() {
        return "FileCertificateStore[" + layout.directory() + "]";
    }
}
