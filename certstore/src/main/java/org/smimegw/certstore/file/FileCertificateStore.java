package org.smimegw.certstore.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateSource;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.HarvestSink;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.KeySelection;
import org.smimegw.certstore.KeySource;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.StoredCertificate.Kind;

/**
 * The embedded certificate store: a directory holding the trust collection, CRLs, users' certificates, users'
 * keys (PKCS#12 protected by the {@link KeyPasswordSource}) and harvested certificates, one file per object named
 * by its SHA-256 fingerprint:
 * <pre>
 * generation                         bumped after every change (readers in other processes reload)
 * trust/roots/&lt;sha256&gt;.pem           trust anchors
 * trust/intermediates/&lt;sha256&gt;.pem   intermediate CAs
 * crls/&lt;sha256&gt;.crl                  DER CRLs
 * users/&lt;sha256&gt;.pem                 users' certificates (+ chain) to encrypt to
 * keys/&lt;sha256&gt;.p12 + .pem           users' keys with certificate and chain
 * harvested/&lt;sha256&gt;.properties      harvested certificates: address, time seen, SMIMECapabilities
 * </pre>
 * Every write is temp + fsync + rename, so a reader never sees a partial file. Readers work on an immutable
 * snapshot; at most once per {@code recheckInterval} the store checks the generation marker and the directories'
 * modification times, and reloads when they changed (so an import by the CLI reaches a running gateway without a
 * restart). Its own writes are visible at once. Safe for concurrent use.
 */
public final class FileCertificateStore implements CertificateStore, CertificateSource, HarvestSink, KeySource {

    public static final String SOURCE_NAME = "file";
    private static final Logger LOG = LoggerFactory.getLogger(FileCertificateStore.class);
    private static final String GENERATION = "generation";
    /**
     * A harvested certificate the store already records for the same address, with the same chain and capabilities,
     * is written again only when the time seen it records is older than this: verifying mail from a known sender
     * then writes nothing (each write is two fsynced files and makes every reader reload the store).
     */
    public static final Duration HARVEST_SEEN_GRANULARITY = Duration.ofHours(1);
    private static final List<String> DIRS = List.of("trust/roots", "trust/intermediates", "crls", "users", "keys",
            "harvested");

    private final Path directory;
    private final KeyPasswordSource keyPassword;
    private final Clock clock;
    private final Duration recheckInterval;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object reloadLock = new Object();
    private final JcaX509CertificateConverter certConverter = new JcaX509CertificateConverter();
    private volatile Snapshot snapshot;
    private volatile long nextCheckMillis;
    private volatile boolean dirty = true;

    /**
     * @param directory       the store directory (created when missing)
     * @param keyPassword     the password protecting the stored PKCS#12 files
     * @param clock           time for "newest valid first" and the re-check interval
     * @param recheckInterval how often to look for changes made by other processes (e.g. one second)
     */
    public FileCertificateStore(Path directory, KeyPasswordSource keyPassword, Clock clock, Duration recheckInterval) {
        this.directory = directory.toAbsolutePath().normalize();
        this.keyPassword = keyPassword;
        this.clock = clock;
        this.recheckInterval = recheckInterval;
        try {
            for (String d : DIRS) {
                Files.createDirectories(this.directory.resolve(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create certificate store directory " + this.directory, e);
        }
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
        return directory;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public String name() {
        return SOURCE_NAME;
    }

    @Override
    public List<PublishedCertificate> lookup(String address) {
        return current().published.getOrDefault(normalize(address), List.of());
    }

    @Override
    public List<PublishedCertificate> encryptionCertificates(String address) {
        return KeySelection.newestFirst(lookup(address), clock.instant());
    }

    @Override
    public List<UserKey> keys(String address) {
        Snapshot s = current();
        List<StoredCertificate> entries = s.keys.getOrDefault(normalize(address), List.of());
        List<UserKey> keys = new ArrayList<>(entries.size());
        for (StoredCertificate e : entries) {
            UserKey k = s.loadKey(e.fingerprint());
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
        return current().trust;
    }

    @Override
    public void harvest(HarvestedCertificate certificate) {
        store(certificate);
    }

    /** Every certificate held, trust first, then users, keys and harvested ones. */
    public List<StoredCertificate> list() {
        return current().all;
    }

    /** Whether a certificate or CRL with this SHA-256 fingerprint is held. */
    public boolean contains(String fingerprint) {
        Snapshot s = current();
        String fp = fingerprint.toLowerCase(Locale.ROOT);
        return s.all.stream().anyMatch(c -> c.fingerprint().equals(fp)) || s.crlFingerprints.contains(fp);
    }

    /** Forces the next read to reload from disk. */
    public void refresh() {
        dirty = true;
    }

    private Snapshot current() {
        Snapshot s = snapshot;
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
            String signature = signature();
            if (s == null || dirty || !signature.equals(s.signature)) {
                dirty = false;
                s = load(signature);
                snapshot = s;
            }
            nextCheckMillis = now + recheckInterval.toMillis();
            return s;
        }
    }

    /** What changes when the store changes: the generation marker and the directories' modification times. */
    private String signature() {
        StringBuilder sb = new StringBuilder();
        try {
            sb.append(Files.readString(directory.resolve(GENERATION)).strip());
        } catch (NoSuchFileException e) {
            sb.append('-');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory.resolve(GENERATION), e);
        }
        for (String d : DIRS) {
            try {
                sb.append('|').append(Files.getLastModifiedTime(directory.resolve(d)).toMillis());
            } catch (IOException e) {
                sb.append("|?");
            }
        }
        return sb.toString();
    }

    private Snapshot load(String signature) {
        long start = System.nanoTime();
        List<StoredCertificate> all = new ArrayList<>();
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        Set<String> crlFps = ConcurrentHashMap.newKeySet();
        Map<String, List<PublishedCertificate>> published = new HashMap<>();
        Map<String, List<StoredCertificate>> keys = new HashMap<>();
        Map<String, StoredCertificate> harvested = new HashMap<>();
        for (Path f : files("trust/roots", ".pem")) {
            readPem(f).ifPresent(e -> {
                roots.add(e.certificate());
                all.add(entry(Kind.ROOT, e, f));
            });
        }
        for (Path f : files("trust/intermediates", ".pem")) {
            readPem(f).ifPresent(e -> {
                intermediates.add(e.certificate());
                all.add(entry(Kind.INTERMEDIATE, e, f));
            });
        }
        JcaX509CRLConverter crlConverter = new JcaX509CRLConverter();
        for (Path f : files("crls", ".crl")) {
            try {
                byte[] der = Files.readAllBytes(f);
                crls.add(crlConverter.getCRL(new X509CRLHolder(der)));
                crlFps.add(Certificates.sha256(der));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.warn("skipping unreadable CRL file {}: {}", f, e.toString());
            }
        }
        for (Path f : files("users", ".pem")) {
            readPem(f).ifPresent(e -> {
                StoredCertificate sc = entry(Kind.USER, e, f);
                all.add(sc);
                for (String a : sc.addresses()) {
                    published.computeIfAbsent(a, k -> new ArrayList<>()).add(new PublishedCertificate(
                            sc.certificate(), sc.chain(), SmimeCapabilities.UNKNOWN, SOURCE_NAME, sc.added()));
                }
            });
        }
        for (Path f : files("keys", ".pem")) {
            readPem(f).ifPresent(e -> {
                StoredCertificate sc = entry(Kind.USER_KEY, e, f);
                all.add(sc);
                for (String a : sc.addresses()) {
                    keys.computeIfAbsent(a, k -> new ArrayList<>()).add(sc);
                    published.computeIfAbsent(a, k -> new ArrayList<>()).add(new PublishedCertificate(
                            sc.certificate(), sc.chain(), SmimeCapabilities.UNKNOWN, SOURCE_NAME, sc.added()));
                }
            });
        }
        for (Path f : files("harvested", ".properties")) {
            try {
                StoredCertificate sc = readHarvested(f);
                all.add(sc);
                for (String a : sc.addresses()) {
                    harvested.put(harvestKey(sc.fingerprint(), a), sc);
                }
                for (String a : sc.addresses()) {
                    published.computeIfAbsent(a, k -> new ArrayList<>()).add(new PublishedCertificate(
                            sc.certificate(), sc.chain(), sc.capabilities(), SOURCE_NAME + " (harvested)",
                            sc.added()));
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.warn("skipping unreadable harvested certificate {}: {}", f, e.toString());
            }
        }
        Instant now = clock.instant();
        published.replaceAll((a, list) -> KeySelection.newestFirst(list, now));
        Snapshot s = new Snapshot(signature, new TrustCollection(roots, intermediates, crls), published, keys,
                harvested, List.copyOf(all), crlFps);
        Snapshot previous = snapshot;
        if (previous != null) {
            // a key file is named by its certificate's fingerprint and only ever holds that certificate's key:
            // keys already unlocked stay usable (a PKCS#12 unlock costs milliseconds of key derivation)
            s.loadedKeys.putAll(previous.loadedKeys);
        }
        LOG.debug("loaded certificate store {}: {} certificates, {} CRLs in {} ms", directory, all.size(), crls.size(),
                (System.nanoTime() - start) / 1_000_000);
        return s;
    }

    private List<Path> files(String dir, String suffix) {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory.resolve(dir))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(suffix) && !n.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    result.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory.resolve(dir), e);
        }
        result.sort(null);
        return result;
    }

    private record PemEntry(X509Certificate certificate, List<X509Certificate> chain, Instant modified) {
    }

    private Optional<PemEntry> readPem(Path f) {
        try {
            List<X509Certificate> certs = parsePem(Files.readString(f, StandardCharsets.US_ASCII));
            if (certs.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PemEntry(certs.get(0), certs.subList(1, certs.size()),
                    Files.getLastModifiedTime(f).toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();  // removed since the listing
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("skipping unreadable certificate file {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    private List<X509Certificate> parsePem(String text) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        try (PEMParser p = new PEMParser(new StringReader(text))) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    certs.add(certConverter.getCertificate(h));
                }
            }
        }
        return certs;
    }

    private StoredCertificate entry(Kind kind, PemEntry e, Path file) {
        String fp = Certificates.sha256(e.certificate());
        return new StoredCertificate(kind, e.certificate(), e.chain(), Certificates.emailAddresses(e.certificate()),
                e.modified(), SmimeCapabilities.UNKNOWN, fp);
    }

    private StoredCertificate readHarvested(Path f) throws IOException, GeneralSecurityException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        X509Certificate cert = decodeCert(p.getProperty("certificate"));
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; p.getProperty("chain." + i) != null; i++) {
            chain.add(decodeCert(p.getProperty("chain." + i)));
        }
        String caps = p.getProperty("capabilities", "");
        List<String> oids = caps.isBlank() ? List.of() : Arrays.asList(caps.split(","));
        return new StoredCertificate(Kind.HARVESTED, cert, chain, Set.of(normalize(p.getProperty("address"))),
                Instant.parse(p.getProperty("seen")), new SmimeCapabilities(oids), Certificates.sha256(cert));
    }

    private X509Certificate decodeCert(String base64) throws IOException, GeneralSecurityException {
        return certConverter.getCertificate(new X509CertificateHolder(Base64.getDecoder().decode(base64)));
    }

    /** An immutable view of the directory; keys are decrypted on first use and memoised. */
    private final class Snapshot {
        final String signature;
        final TrustCollection trust;
        final Map<String, List<PublishedCertificate>> published;
        final Map<String, List<StoredCertificate>> keys;
        final Map<String, StoredCertificate> harvested;
        final List<StoredCertificate> all;
        final Set<String> crlFingerprints;
        final Map<String, UserKey> loadedKeys = new ConcurrentHashMap<>();

        Snapshot(String signature, TrustCollection trust, Map<String, List<PublishedCertificate>> published,
                 Map<String, List<StoredCertificate>> keys, Map<String, StoredCertificate> harvested,
                 List<StoredCertificate> all, Set<String> crlFingerprints) {
            this.signature = signature;
            this.trust = trust;
            this.published = Map.copyOf(published);
            Map<String, List<StoredCertificate>> k = new HashMap<>();
            keys.forEach((a, l) -> k.put(a, List.copyOf(l)));
            this.keys = Map.copyOf(k);
            this.harvested = Map.copyOf(harvested);
            this.all = all;
            this.crlFingerprints = Set.copyOf(crlFingerprints);
        }

        UserKey loadKey(String fingerprint) {
            UserKey k = loadedKeys.get(fingerprint);
            if (k == null) {
                k = readKey(fingerprint);
                if (k != null) {
                    loadedKeys.put(fingerprint, k);
                }
            }
            return k;
        }
    }

    private UserKey readKey(String fingerprint) {
        Path file = directory.resolve("keys").resolve(fingerprint + ".p12");
        char[] password = keyPassword.password();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    Key key = ks.getKey(alias, password);
                    Certificate[] chain = ks.getCertificateChain(alias);
                    List<X509Certificate> x509 = new ArrayList<>();
                    for (Certificate c : chain) {
                        x509.add((X509Certificate) c);
                    }
                    return new UserKey((PrivateKey) key, x509.get(0), x509.subList(1, x509.size()),
                            KeyStorage.SOFTWARE);
                }
            }
            LOG.warn("key file {} holds no private key", file);
            return null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | GeneralSecurityException e) {
            LOG.error("cannot open key file {} with the key password from {}: {}", file, keyPassword.reference(),
                    e.toString());
            return null;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    // ---------------------------------------------------------------- writing

    /** Adds a CA certificate to the trust collection: a root when self-issued, otherwise an intermediate. */
    public void addTrusted(X509Certificate certificate) throws IOException {
        String dir = Certificates.isSelfIssued(certificate) ? "trust/roots" : "trust/intermediates";
        write(dir + "/" + Certificates.sha256(certificate) + ".pem", pem(List.of(certificate)));
    }

    /** Adds a user's certificate (with its chain, may be empty) to encrypt to the addresses in it. */
    public void addUserCertificate(X509Certificate certificate, List<X509Certificate> chain) throws IOException {
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(chain);
        write("users/" + Certificates.sha256(certificate) + ".pem", pem(all));
    }

    /** Adds a user's private key with its certificate and chain, protected by the store's key password. */
    public void addUserKey(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) throws IOException {
        String fp = Certificates.sha256(certificate);
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(chain);
        char[] password = keyPassword.password();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(fp.substring(0, 16), key, password, all.toArray(X509Certificate[]::new));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            writeLock.lock();
            try {
                AtomicFiles.write(directory.resolve("keys/" + fp + ".p12"), out.toByteArray());
                write("keys/" + fp + ".pem", pem(all));  // the index entry comes last: readers find a complete pair
            } finally {
                writeLock.unlock();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the PKCS#12 key file: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Adds a CRL. */
    public void addCrl(X509CRL crl) throws IOException {
        try {
            byte[] der = crl.getEncoded();
            write("crls/" + Certificates.sha256(der) + ".crl", der);
        } catch (java.security.cert.CRLException e) {
            throw new IOException("cannot encode CRL: " + e.getMessage(), e);
        }
    }

    /** Records a harvested certificate with the sender's capabilities and the time it was seen. */
    @Override
    public void store(HarvestedCertificate h) {
        if (alreadyRecorded(h)) {
            return;
        }
        try {
            Properties p = new Properties();
            p.setProperty("address", normalize(h.address()));
            p.setProperty("seen", (h.seen() == null ? clock.instant() : h.seen()).toString());
            p.setProperty("capabilities", String.join(",", h.capabilities().algorithmOids()));
            p.setProperty("certificate", Base64.getEncoder().encodeToString(h.certificate().getEncoded()));
            for (int i = 0; i < h.chain().size(); i++) {
                p.setProperty("chain." + i, Base64.getEncoder().encodeToString(h.chain().get(i).getEncoded()));
            }
            StringWriter w = new StringWriter();
            p.store(w, "harvested certificate");
            String name = Certificates.sha256(h.certificate()) + "-"
                    + Certificates.sha256(normalize(h.address()).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
            write("harvested/" + name + ".properties", w.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store harvested certificate in " + directory, e);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode harvested certificate", e);
        }
    }

    /**
     * Whether the store already records {@code h}: the same certificate for the same address, with the same chain and
     * capabilities, seen at most {@link #HARVEST_SEEN_GRANULARITY} before {@code h} was.
     */
    private boolean alreadyRecorded(HarvestedCertificate h) {
        StoredCertificate known = current().harvested.get(
                harvestKey(Certificates.sha256(h.certificate()), normalize(h.address())));
        if (known == null || !known.certificate().equals(h.certificate()) || !known.chain().equals(h.chain())
                || !known.capabilities().equals(h.capabilities())) {
            return false;
        }
        Instant seen = h.seen() == null ? clock.instant() : h.seen();
        return !seen.isAfter(known.added().plus(HARVEST_SEEN_GRANULARITY));
    }

    private static String harvestKey(String fingerprint, String address) {
        return fingerprint + ' ' + address;
    }

    /**
     * Removes every certificate, key or CRL whose SHA-256 fingerprint is {@code fingerprint} (or starts with it, when
     * at least 8 hex digits and unique). Returns what was removed.
     */
    public Removed remove(String fingerprint) throws IOException {
        String fp = fingerprint.toLowerCase(Locale.ROOT).replace(":", "");
        writeLock.lock();
        try {
            Snapshot s = current();
            List<StoredCertificate> matches = s.all.stream().filter(c -> fp.length() >= 8
                    ? c.fingerprint().startsWith(fp) : c.fingerprint().equals(fp)).toList();
            Set<String> distinct = new java.util.HashSet<>();
            matches.forEach(m -> distinct.add(m.fingerprint()));
            if (distinct.size() > 1) {
                throw new IllegalArgumentException("fingerprint prefix " + fp + " matches " + distinct.size()
                        + " certificates: give more digits");
            }
            boolean changed = false;
            for (String full : distinct) {
                for (String d : List.of("trust/roots", "trust/intermediates", "users", "keys")) {
                    changed |= Files.deleteIfExists(directory.resolve(d + "/" + full + ".pem"));
                }
                changed |= Files.deleteIfExists(directory.resolve("keys/" + full + ".p12"));
                for (Path h : files("harvested", ".properties")) {
                    if (h.getFileName().toString().startsWith(full)) {
                        changed |= Files.deleteIfExists(h);
                    }
                }
            }
            List<String> crlsRemoved = new ArrayList<>();
            for (String c : s.crlFingerprints) {
                if ((fp.length() >= 8 ? c.startsWith(fp) : c.equals(fp))
                        && Files.deleteIfExists(directory.resolve("crls/" + c + ".crl"))) {
                    crlsRemoved.add(c);
                    changed = true;
                }
            }
            if (changed) {
                bumpGeneration();
            }
            return new Removed(matches, crlsRemoved);
        } finally {
            writeLock.unlock();
        }
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

    /** Whether a CRL with this fingerprint (of its DER) is held. */
    public boolean containsCrl(X509CRL crl) {
        try {
            return current().crlFingerprints.contains(Certificates.sha256(crl.getEncoded()));
        } catch (java.security.cert.CRLException e) {
            return false;
        }
    }

    private void write(String relative, byte[] content) throws IOException {
        writeLock.lock();
        try {
            AtomicFiles.write(directory.resolve(relative), content);
            bumpGeneration();
        } finally {
            writeLock.unlock();
        }
    }

    private void bumpGeneration() throws IOException {
        AtomicFiles.write(directory.resolve(GENERATION),
                (clock.instant() + " " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
        dirty = true;
    }

    private static byte[] pem(Collection<X509Certificate> certs) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (X509Certificate c : certs) {
                w.writeObject(c);
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String normalize(String address) {
        return address == null ? "" : address.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "FileCertificateStore[" + directory + "]";
    }
}
