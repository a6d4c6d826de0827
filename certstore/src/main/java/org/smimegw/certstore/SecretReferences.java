package org.smimegw.certstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Resolves a password reference from the configuration: {@code env:NAME} reads environment variable NAME,
 * {@code file:PATH} reads the first line of the file (as the file store's key password reference does).
 * Anything else is refused, so a password never sits in the main configuration file.
 */
public final class SecretReferences {

    private final Function<String, String> environment;

    /** Reads the process environment. */
    public SecretReferences() {
        this(System::getenv);
    }

    /** Reads variables through {@code environment} (tests pass a map's {@code get}). */
    public SecretReferences(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * @param key       the configuration key, for the error message (e.g. {@code certstore.ldap.bindPassword})
     * @param reference {@code env:NAME} or {@code file:PATH}
     * @throws IllegalArgumentException when the reference is malformed or does not resolve
     */
    public char[] resolve(String key, String reference) {
        if (reference == null) {
            throw new IllegalArgumentException(key + " is not set");
        }
        if (reference.startsWith("env:")) {
            String name = reference.substring(4);
            String value = environment.apply(name);
            if (value == null) {
                throw new IllegalArgumentException(key + ": environment variable " + name + " is not set");
            }
            return value.toCharArray();
        }
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8);
                int end = value.indexOf('\n');
                String line = end < 0 ? value : value.substring(0, end);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new IllegalArgumentException(key + ": cannot read password file " + file + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException(key + " must be a reference env:NAME or file:PATH, not a password");
    }
}
