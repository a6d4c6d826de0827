package org.smimegw.certstore.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.KeySelection;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.StoreLayout.Area;
import org.smimegw.certstore.file.StoredCertificate.Kind;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.ImportException;
import org.smimegw.certstore.importer.KeyEntry;

/**
 * Reads the store directory into a {@link StoreSnapshot}, and users' key files when first needed; every file is
 * parsed by the importers' {@link CertificateFileParser}. A file that cannot be read is logged and skipped (the
 * rest of the store stays usable).
 */
final class StoreReader {

    static final String SOURCE_NAME = "file";
    static final String HARVESTED_SOURCE_NAME = SOURCE_NAME + " (harvested)";
    private static final Logger LOG = LoggerFactory.getLogger(StoreReader.class);

    private final StoreLayout layout;
    private final KeyPasswordSource keyPassword;
    private final CertificateFileParser parser;
    private final Clock clock;

    StoreReader(StoreLayout layout, KeyPasswordSource keyPassword, CertificateFileParser parser, Clock clock) {
        this.layout = layout;
        this.keyPassword = keyPassword;
        this.parser = parser;
        this.clock = clock;
    }

    /** The store as it is now; {@code signature} is the state it was asked for ({@link StoreLayout#signature()}). */
    StoreSnapshot load(String signature) {
        long start = System.nanoTime();
        List<StoredCertificate> all = new ArrayList<>();
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        Set<String> crlFingerprints = new HashSet<>();
        Map<String, List<PublishedCertificate>> published = new HashMap<>();
        Map<String, List<StoredCertificate>> keys = new HashMap<>();
        Map<String, HarvestRecord> harvested = new HashMap<>();
        for (Path f : layout.files(Area.ROOTS)) {
            stored(Kind.ROOT, f).ifPresent(sc -> {
                roots.add(sc.certificate());
                all.add(sc);
            });
        }
        for (Path f : layout.files(Area.INTERMEDIATES)) {
            stored(Kind.INTERMEDIATE, f).ifPresent(sc -> {
                intermediates.add(sc.certificate());
                all.add(sc);
            });
        }
        for (Path f : layout.files(Area.CRLS)) {
            readFile(f).ifPresent(der -> {
                try {
                    crls.addAll(parser.parse(der, null).crls());
                    crlFingerprints.add(Certificates.sha256(der));
                } catch (ImportException e) {
                    LOG.warn("skipping unreadable CRL file {}: {}", f, e.getMessage());
                }
            });
        }
        for (Path f : layout.files(Area.USERS)) {
            stored(Kind.USER, f).ifPresent(sc -> {
                all.add(sc);
                publish(sc, SmimeCapabilities.UNKNOWN, SOURCE_NAME, published);
            });
        }
        for (Path f : layout.files(Area.KEY_INDEX)) {
            stored(Kind.USER_KEY, f).ifPresent(sc -> {
                all.add(sc);
                for (String a : sc.addresses()) {
                    keys.computeIfAbsent(a, k -> new ArrayList<>()).add(sc);
                }
                publish(sc, SmimeCapabilities.UNKNOWN, SOURCE_NAME, published);
            });
        }
        for (Path f : layout.files(Area.HARVESTED)) {
            readFile(f).ifPresent(content -> {
                try {
                    HarvestRecord h = HarvestRecord.parse(content, parser);
                    StoredCertificate sc = h.toStored();
                    all.add(sc);
                    harvested.put(h.key(), h);
                    publish(sc, h.capabilities(), HARVESTED_SOURCE_NAME, published);
                } catch (ImportException e) {
                    LOG.warn("skipping unreadable harvested certificate {}: {}", f, e.getMessage());
                }
            });
        }
        Instant now = clock.instant();
        published.replaceAll((a, list) -> KeySelection.newestFirst(list, now));
        StoreSnapshot s = new StoreSnapshot(signature, new TrustCollection(roots, intermediates, crls), published,
                keys, harvested, all, crlFingerprints);
        LOG.debug("loaded certificate store {}: {} certificates, {} CRLs in {} ms", layout.directory(), all.size(),
                crls.size(), (System.nanoTime() - start) / 1_000_000);
        return s;
    }

    private static void publish(StoredCertificate sc, SmimeCapabilities capabilities, String source,
                                Map<String, List<PublishedCertificate>> published) {
        for (String a : sc.addresses()) {
            published.computeIfAbsent(a, k -> new ArrayList<>()).add(new PublishedCertificate(sc.certificate(),
                    sc.chain(), capabilities, source, sc.added()));
        }
    }

    /** A PEM file of certificates: the first is the entry's, the others its chain; its time is the file's. */
    private Optional<StoredCertificate> stored(Kind kind, Path f) {
        return readFile(f).flatMap(content -> {
            try {
                List<X509Certificate> certs = parser.parse(content, null).certificates();
                if (certs.isEmpty()) {
                    return Optional.empty();
                }
                X509Certificate cert = certs.get(0);
                return Optional.of(new StoredCertificate(kind, cert, certs.subList(1, certs.size()),
                        Certificates.emailAddresses(cert), Files.getLastModifiedTime(f).toInstant(),
                        SmimeCapabilities.UNKNOWN, Certificates.sha256(cert)));
            } catch (ImportException | IOException e) {
                LOG.warn("skipping unreadable certificate file {}: {}", f, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** The file's bytes; empty when it was removed since the listing or cannot be read (logged). */
    private static Optional<byte[]> readFile(Path f) {
        try {
            return Optional.of(Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("skipping unreadable file {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    /** The key of the certificate with this fingerprint, unlocked with the store's key password; null when unusable. */
    UserKey readKey(String fingerprint) {
        Path file = layout.file(Area.KEYS, fingerprint);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.error("cannot read key file {}: {}", file, e.toString());
            return null;
        }
        char[] password = keyPassword.password();
        try {
            List<KeyEntry> entries = parser.parse(content, password).keys();
            if (entries.isEmpty()) {
                LOG.warn("key file {} holds no private key", file);
                return null;
            }
            KeyEntry k = entries.get(0);
            return new UserKey(k.privateKey(), k.certificate(), k.chain(), KeyStorage.SOFTWARE);
        } catch (ImportException e) {
            LOG.error("cannot open key file {} with the key password from {}: {}", file, keyPassword.reference(),
                    e.getMessage());
            return null;
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
