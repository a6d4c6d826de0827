package org.smimegw.gateway.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The line of every key and value in a YAML document, by JSON pointer, so that a problem found after binding (a
 * port out of range, a missing file) can still be reported with its line.
 */
final class YamlLocations {
    private final Map<String, Integer> lines;
    private final ConfigProblem duplicate;
    private final int duplicateLine;
    private final boolean empty;

    private YamlLocations(Map<String, Integer> lines, ConfigProblem duplicate, int duplicateLine, boolean empty) {
        this.lines = lines;
        this.duplicate = duplicate;
        this.duplicateLine = duplicateLine;
        this.empty = empty;
    }

    /** Scans the document; a document that does not parse yields no locations (binding reports the error). */
    static YamlLocations of(JsonFactory factory, String name, String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        ConfigProblem duplicate = null;
        int duplicateLine = 0;
        boolean empty = true;
        try (JsonParser parser = factory.createParser(new StringReader(yaml))) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                empty = false;
                int line = parser.currentTokenLocation().getLineNr();
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    // the container's own pointer is its parent's current entry, already recorded at the key
                    String container = parser.getParsingContext().getParent() == null ? ""
                            : parser.getParsingContext().getParent().pathAsPointer().toString();
                    lines.putIfAbsent(container, line);
                } else {
                    if (token == JsonToken.FIELD_NAME && !keys.add(pointer) && duplicate == null) {
                        duplicate = new ConfigProblem(pointer, "key '" + parser.currentName()
                                + "' appears twice (first on line " + lines.get(pointer) + ")");
                        duplicateLine = line;
                    }
                    lines.putIfAbsent(pointer, line);
                }
            }
        } catch (IOException e) {
            // reported by the binding step with its own location
        }
        return new YamlLocations(lines, duplicate, duplicateLine, empty);
    }

    /** True when the document holds no value at all (empty or only comments). */
    boolean isEmpty() {
        return empty;
    }

    /** The first key that appears twice in the same section, if any. */
    java.util.Optional<ConfigProblem> duplicateKey() {
        return java.util.Optional.ofNullable(duplicate);
    }

    int duplicateKeyLine() {
        return duplicateLine;
    }

    /** The line of the value at {@code pointer}, or 0 when that exact value is not in the document. */
    int lineIfKnown(String pointer) {
        return lines.getOrDefault(pointer, 0);
    }

    /** The line of the value at {@code pointer}, else of its nearest recorded ancestor, else 1. */
    int lineOf(String pointer) {
        JsonPointer current = JsonPointer.compile(pointer.isEmpty() || pointer.startsWith("/") ? pointer
                : "/" + pointer);
        while (current != null) {
            Integer line = lines.get(current.toString());
            if (line != null) {
                return line;
            }
            current = current.head();
        }
        return 1;
    }
}
