package org.smimegw.gateway.config;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * YAML {@code policy:} — where the S/MIME policy ({@code policy.yaml}) is.
 *
 * @param file     the policy file (default {@code conf/policy.yaml}, relative to the base directory); re-read on
 *                 {@code reload}
 * @param optional true when {@code file} was not written in the configuration: a missing default file then means the
 *                 built-in defaults (nothing required); a file named explicitly must exist
 */
public record PolicySettings(Path file, boolean optional) {
    public static final Path DEFAULT_FILE = Path.of("conf", "policy.yaml");

    @JsonCreator
    static PolicySettings of(@JsonProperty("file") Path file) {
        return file == null ? defaults() : new PolicySettings(file, false);
    }

    /** {@code conf/policy.yaml}, optional. */
    public static PolicySettings defaults() {
        return new PolicySettings(DEFAULT_FILE, true);
    }

    /** A policy file that must exist. */
    public static PolicySettings required(Path file) {
        return new PolicySettings(file, false);
    }

    PolicySettings resolvedAgainst(Path base) {
        return new PolicySettings(base.resolve(file).normalize(), optional);
    }
}
