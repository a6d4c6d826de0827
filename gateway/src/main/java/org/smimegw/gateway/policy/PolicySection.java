package org.smimegw.gateway.policy;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code policy:} section of {@code gateway.yaml}:
 * <pre>
 * policy:
 *   file: conf/policy.yaml    # the S/MIME policy (default conf/policy.yaml, relative to the base directory)
 *   rcptCheck: true           # refuse at RCPT TO what is known there (default true)
 * </pre>
 * Without the section the gateway runs with the built-in policy (nothing required) and no RCPT check.
 */
public record PolicySection(Path file, boolean rcptCheck) {

    public static final String DEFAULT_FILE = "conf/policy.yaml";

    /** Empty when the section is absent; a bad key or value is an {@link IllegalArgumentException} naming it. */
    public static Optional<PolicySection> from(JsonNode node, Path baseDirectory) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("policy: expected a section with file: (and rcptCheck:)");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("file") && !name.equals("rcptCheck")) {
                throw new IllegalArgumentException("policy: unknown key '" + name + "', expected file or rcptCheck");
            }
        }
        JsonNode file = node.get("file");
        if (file != null && !file.isTextual()) {
            throw new IllegalArgumentException("policy.file: expected a path");
        }
        JsonNode rcpt = node.get("rcptCheck");
        boolean rcptCheck = true;
        if (rcpt != null) {
            String v = rcpt.asText();
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("policy.rcptCheck: expected true or false, was '" + v + "'");
            }
            rcptCheck = Boolean.parseBoolean(v);
        }
        Path path = Path.of(file == null ? DEFAULT_FILE : file.asText());
        return Optional.of(new PolicySection(baseDirectory.resolve(path).normalize(), rcptCheck));
    }
}
