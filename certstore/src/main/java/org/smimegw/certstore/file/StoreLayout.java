package org.smimegw.certstore.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where the embedded store keeps what: one file per object, named by the SHA-256 fingerprint of its certificate (or
 * CRL), in one folder per kind, plus the {@code generation} marker that every write changes.
 * <pre>
 * generation                         bumped after every change (readers in other processes reload)
 * trust/roots/&lt;sha256&gt;.pem           trust anchors
 * trust/intermediates/&lt;sha256&gt;.pem   intermediate CAs
 * crls/&lt;sha256&gt;.crl                  DER CRLs
 * users/&lt;sha256&gt;.pem                 users' certificates (+ chain) to encrypt to
 * keys/&lt;sha256&gt;.p12 + .pem           users' keys with certificate and chain
 * harvested/&lt;sha256&gt;-&lt;addr&gt;.properties  harvested certificates: address, time seen, SMIMECapabilities
 * </pre>
 */
final class StoreLayout {

    /** A kind of file: its folder and file name suffix. */
    enum Area {
        ROOTS("trust/roots", ".pem"),
        INTERMEDIATES("trust/intermediates", ".pem"),
        CRLS("crls", ".crl"),
        USERS("users", ".pem"),
        /** The certificate and chain of a key: written after the key file, so readers find complete pairs. */
        KEY_INDEX("keys", ".pem"),
        KEYS("keys", ".p12"),
        HARVESTED("harvested", ".properties");

        final String folder;
        final String suffix;

        Area(String folder, String suffix) {
            this.folder = folder;
            this.suffix = suffix;
        }
    }

    private static final String GENERATION = "generation";
    private static final List<String> FOLDERS = List.of("trust/roots", "trust/intermediates", "crls", "users", "keys",
            "harvested");

    private final Path directory;

    /** Creates the folders when missing. */
    StoreLayout(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        try {
            for (String d : FOLDERS) {
                Files.createDirectories(this.directory.resolve(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create certificate store directory " + this.directory, e);
        }
    }

    Path directory() {
        return directory;
    }

    /** The file of {@code name} (a fingerprint, or fingerprint-based name) in {@code area}. */
    Path file(Area area, String name) {
        return directory.resolve(area.folder).resolve(name + area.suffix);
    }

    /** The complete files of {@code area} (no temporary files of a write in progress), sorted by name. */
    List<Path> files(Area area) {
        List<Path> result = new ArrayList<>();
        Path folder = directory.resolve(area.folder);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(area.suffix) && !n.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    result.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        result.sort(null);
        return result;
    }

    /** What changes when the store changes: the generation marker and the folders' modification times. */
    String signature() {
        StringBuilder sb = new StringBuilder();
        Path generation = directory.resolve(GENERATION);
        try {
            sb.append(Files.readString(generation).strip());
        } catch (NoSuchFileException e) {
            sb.append('-');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + generation, e);
        }
        for (String d : FOLDERS) {
            try {
                sb.append('|').append(Files.getLastModifiedTime(directory.resolve(d)).toMillis());
            } catch (IOException e) {
                sb.append("|?");
            }
        }
        return sb.toString();
    }

    /** Marks a change for readers in this and other processes. */
    void bumpGeneration(Instant now) throws IOException {
        AtomicFiles.write(directory.resolve(GENERATION),
                (now + " " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
