package org.smimegw.gateway.config;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * The one rule for file paths written in {@code gateway.yaml}: a relative path is resolved against the directory of
 * the file it is written in, while the file is read, so that everything after the loader sees absolute paths and
 * the working directory never matters. Paths are:
 * <ul>
 *   <li>every value of type {@link Path} (stateDir, pipeline.config, policy.file, smtp.tls.*);</li>
 *   <li>every {@code file:PATH} reference (certstore.keyPassword, certstore.ldap.bindPassword, ...);</li>
 *   <li>the text values listed in {@link #PATH_KEYS} (keys of other modules' records that hold a path).</li>
 * </ul>
 */
public final class ConfigPaths {
    /** Text keys that hold a file path ({@code *} = any one key, e.g. a route's domain). */
    static final List<String> PATH_KEYS = List.of(
            "/certstore/directory",
            "/certstore/ldap/trustStore",
            "/certstore/pkcs11/library",
            "/delivery/smarthost/passwordFile",
            "/delivery/routes/*/passwordFile");

    private static final List<Pattern> PATH_KEY_PATTERNS = PATH_KEYS.stream()
            .map(k -> Pattern.compile(Pattern.quote(k).replace("*", "\\E[^/]+\\Q"))).toList();
    private static final String FILE_REFERENCE = "file:";

    private final Path baseDirectory;

    public ConfigPaths(Path baseDirectory) {
        this.baseDirectory = baseDirectory.toAbsolutePath().normalize();
    }

    public Path baseDirectory() {
        return baseDirectory;
    }

    /** {@code path} resolved against the base directory (an absolute path stays as it is). */
    public Path resolve(Path path) {
        return baseDirectory.resolve(path).normalize();
    }

    /** {@code file:PATH} with PATH resolved; any other reference ({@code env:NAME}) unchanged. */
    public String resolveReference(String reference) {
        if (reference == null || !reference.startsWith(FILE_REFERENCE) || reference.length() == FILE_REFERENCE.length()) {
            return reference;
        }
        return FILE_REFERENCE + resolve(Path.of(reference.substring(FILE_REFERENCE.length())));
    }

    /** A Jackson module that applies the rule while binding. */
    SimpleModule module() {
        SimpleModule module = new SimpleModule("gateway-config-paths");
        module.addDeserializer(Path.class, new PathDeserializer());
        module.addDeserializer(String.class, new PathTextDeserializer());
        return module;
    }

    static boolean isPathKey(String pointer) {
        return PATH_KEY_PATTERNS.stream().anyMatch(p -> p.matcher(pointer).matches());
    }

    /** A {@link Path} value. */
    private final class PathDeserializer extends StdScalarDeserializer<Path> {
        PathDeserializer() {
            super(Path.class);
        }

        @Override
        public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Path) ctxt.handleUnexpectedToken(Path.class, p);
            }
            String text = p.getText().trim();
            if (text.isEmpty()) {
                return (Path) ctxt.handleWeirdStringValue(Path.class, text, "an empty path");
            }
            try {
                return resolve(Path.of(text));
            } catch (InvalidPathException e) {
                return (Path) ctxt.handleWeirdStringValue(Path.class, text, e.getMessage());
            }
        }
    }

    /** A text value: a path when its key is a path key or it is a {@code file:} reference, else as Jackson reads it. */
    private final class PathTextDeserializer extends StdScalarDeserializer<String> {
        PathTextDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = StringDeserializer.instance.deserialize(p, ctxt);
            if (text == null || text.isBlank() || p.currentToken() != JsonToken.VALUE_STRING) {
                return text;
            }
            try {
                if (isPathKey(p.getParsingContext().pathAsPointer().toString())) {
                    return resolve(Path.of(text.trim())).toString();
                }
                return resolveReference(text);
            } catch (InvalidPathException e) {
                return (String) ctxt.handleWeirdStringValue(String.class, text, e.getMessage());
            }
        }
    }
}
