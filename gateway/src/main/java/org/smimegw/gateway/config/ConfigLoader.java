package org.smimegw.gateway.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.smimegw.mailets.config.ConfigFileException;

/**
 * Reads {@code gateway.yaml} into a {@link GatewayConfig}. Every problem — YAML syntax, an unknown key, a value of
 * the wrong type, a value out of range, a file that cannot be read — becomes a {@link ConfigFileException} naming the
 * file, the line and the reason. Relative paths in the file, and the relative defaults (state directory, pipeline
 * and policy files), are resolved against the directory the file is in ({@link ConfigPaths}), whatever the working
 * directory.
 */
public final class ConfigLoader {
    private final ConfigValidator validator;

    /** Checks every section. */
    public ConfigLoader() {
        this(new ConfigValidator());
    }

    /** Checks what {@code validator} checks (a command that needs only some sections passes a narrower one). */
    public ConfigLoader(ConfigValidator validator) {
        this.validator = validator;
    }

    /** Loads and validates the file; relative paths resolve against its directory. */
    public GatewayConfig load(Path file) throws ConfigFileException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(name, "file not found");
        } catch (IOException e) {
            throw new ConfigFileException(name, "cannot read: " + e.getMessage(), e);
        }
        return parse(name, text, file.toAbsolutePath().normalize().getParent());
    }

    /**
     * Loads and validates YAML text; {@code name} is used in error messages, relative paths resolve against
     * {@code baseDirectory}.
     */
    GatewayConfig parse(String name, String yaml, Path baseDirectory) throws ConfigFileException {
        ConfigPaths paths = new ConfigPaths(baseDirectory);
        ObjectMapper mapper = mapper(paths);
        YamlLocations locations = YamlLocations.of(mapper.getFactory(), name, yaml);
        if (locations.duplicateKey().isPresent()) {
            throw new ConfigFileException(name, locations.duplicateKeyLine(),
                    locations.duplicateKey().get().describe());
        }
        GatewayConfig config = null;
        try (Reader reader = new StringReader(yaml)) {
            if (!locations.isEmpty()) {
                config = mapper.readValue(reader, GatewayConfig.class);
            }
        } catch (JsonMappingException e) {
            String reason = ConfigErrors.reason(e);
            int line = ConfigErrors.namedKey(reason).map(locations::lineIfKnown).filter(l -> l > 0)
                    .orElseGet(() -> lineOf(e.getLocation(), locations, e.getPath()));
            throw new ConfigFileException(name, line, reason, e);
        } catch (IOException e) {
            int line = e instanceof JsonParseException pe && pe.getLocation() != null
                    ? pe.getLocation().getLineNr() : 0;
            throw new ConfigFileException(name, line, ConfigErrors.syntaxReason(e), e);
        }
        if (config == null) { // an empty file: all defaults
            config = GatewayConfig.defaults();
        }
        config = config.resolvedAgainst(paths.baseDirectory());
        List<ConfigProblem> problems = validator.validate(config);
        if (!problems.isEmpty()) {
            // report the first problem in file order; one about a key the file does not have comes last
            ConfigProblem first = problems.stream()
                    .min(java.util.Comparator.comparingInt(p -> {
                        int exact = locations.lineIfKnown(p.pointer());
                        return exact > 0 ? exact : Integer.MAX_VALUE;
                    }))
                    .orElseThrow();
            boolean inFile = locations.lineIfKnown(first.pointer()) > 0;
            throw new ConfigFileException(name, locations.lineOf(first.pointer()),
                    first.describe() + (inFile ? "" : " (default value; set " + first.keyPath() + ")"));
        }
        return config;
    }

    private static int lineOf(JsonLocation location, YamlLocations locations,
                              List<JsonMappingException.Reference> path) {
        int byPath = locations.lineOf(ConfigErrors.pointer(path));
        if (location != null && location.getLineNr() > 0) {
            // Jackson points at the offending token; for a missing or ill-typed nested object it can point past
            // it, so prefer the line of the key when it is known and earlier.
            return byPath > 0 ? Math.min(byPath, location.getLineNr()) : location.getLineNr();
        }
        return byPath;
    }

    /**
     * The mapper used for the configuration: YAML, strict about unknown keys (duplicates are found by
     * {@link YamlLocations}), paths resolved against the directory of {@code file}.
     */
    public static ObjectMapper mapper(Path file) {
        return mapper(new ConfigPaths(file.toAbsolutePath().normalize().getParent()));
    }

    private static ObjectMapper mapper(ConfigPaths paths) {
        return YAMLMapper.builder(YAMLFactory.builder()
                        // YAML 1.1 reads a bare OFF/ON/YES/NO as a boolean; here they stay words (mode: OFF)
                        .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature
                                .PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .addModule(paths.module())
                .build();
    }
}
