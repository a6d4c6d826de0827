package org.smimegw.certstore.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;

import org.slf4j.Logger;
import org.smimegw.certstore.SecretReferences;
import org.slf4j.LoggerFactory;

/**
 * Where the password protecting the store's PKCS#12 key files comes from: {@code env:NAME} (an environment
 * variable) or {@code file:PATH} (the first line of a file). The configuration holds only this reference, never the
 * password. When {@code generateIfMissing} is set and the file does not exist, a random password is written to it
 * with permissions 0600 on first use (the shipped default). The password is resolved once and then kept.
 */
public final class KeyPasswordSource {

    private static final Logger LOG = LoggerFactory.getLogger(KeyPasswordSource.class);

    private final String reference;
    private final SecretReferences secrets;
    private final boolean generateIfMissing;
    private final Path baseDirectory;
    private volatile char[] resolved;

    /**
     * @param reference         {@code env:NAME} or {@code file:PATH}
     * @param environment       looks up environment variables (normally {@code System::getenv})
     * @param generateIfMissing create a random password file when a {@code file:} reference does not exist
     * @param baseDirectory     relative {@code file:} paths are resolved against it
     */
    public KeyPasswordSource(String reference, Function<String, String> environment, boolean generateIfMissing,
                             Path baseDirectory) {
        this.reference = Objects.requireNonNull(reference, "reference");
        this.secrets = new SecretReferences(Objects.requireNonNull(environment, "environment"));
        this.generateIfMissing = generateIfMissing;
        this.baseDirectory = baseDirectory;
        if (!reference.startsWith("env:") && !reference.startsWith("file:")) {
            throw new IllegalArgumentException("key password reference must be env:NAME or file:PATH"
                    + " (the password itself never goes in the configuration)");
        }
    }

    /** The reference, for messages (never the password). */
    public String reference() {
        return reference;
    }

    /** The password; a copy the caller may clear. */
    public char[] password() {
        char[] p = resolved;
        if (p == null) {
            synchronized (this) {
                if (resolved == null) {
                    resolved = resolve();
                }
                p = resolved;
            }
        }
        return p.clone();
    }

    private char[] resolve() {
        String key = "certstore.keyPassword";
        if (reference.startsWith("env:")) {
            return nonEmpty(secrets.resolve(key, reference), "key password environment variable " + reference.substring(4));
        }
        Path file = Path.of(reference.substring(5));
        if (!file.isAbsolute() && baseDirectory != null) {
            file = baseDirectory.resolve(file);
        }
        if (!Files.exists(file)) {
            if (!generateIfMissing) {
                throw new IllegalStateException("key password file " + file + " does not exist");
            }
            try {
                generate(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create key password file " + file, e);
            }
        }
        return nonEmpty(secrets.resolve(key, "file:" + file), "key password file " + file);
    }

    private static char[] nonEmpty(char[] password, String where) {
        String stripped = new String(password).strip();
        if (stripped.isEmpty()) {
            throw new IllegalStateException(where + " is empty");
        }
        return stripped.toCharArray();
    }

    private static void generate(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            temp = Files.createTempFile(dir, ".keystore-pass", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            temp = Files.createTempFile(dir, ".keystore-pass", ".tmp");
        }
        try {
            Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file);  // no replace: another process may have won the race, then its password stands
            LOG.info("generated a random key password in {} (mode 0600)", file);
        } catch (FileAlreadyExistsException e) {
            LOG.debug("key password file {} appeared concurrently", file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public String toString() {
        return "KeyPasswordSource[" + reference + "]";
    }
}
