package org.smimegw.gateway.config;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * YAML {@code policy:} — the S/MIME policy.
 *
 * @param file      the policy file (default {@code policy.yaml} beside gateway.yaml); re-read on {@code reload}
 * @param optional  true when there is no {@code policy:} section: a missing default file then means the built-in
 *                  defaults (nothing required); with the section the file must exist
 * @param rcptCheck refuse at RCPT TO what the policy already decides there (default true with the section, false
 *                  without it)
 */
public record PolicySettings(Path file, boolean optional, boolean rcptCheck) {
    /** Beside gateway.yaml (relative paths resolve against its directory). */
    public static final Path DEFAULT_FILE = Path.of("policy.yaml");

    @JsonCreator
    static PolicySettings of(@JsonProperty("file") Path file, @JsonProperty("rcptCheck") Boolean rcptCheck) {
        return new PolicySettings(file == null ? DEFAULT_FILE : file, false, rcptCheck == null || rcptCheck);
    }

    /** No {@code policy:} section: {@code policy.yaml} beside gateway.yaml if it exists, else the built-in defaults; no RCPT check. */
    public static PolicySettings defaults() {
        return new PolicySettings(DEFAULT_FILE, true, false);
    }

    /** A policy file that must exist (RCPT check on). */
    public static PolicySettings required(Path file) {
        return new PolicySettings(file, false, true);
    }

    PolicySettings resolvedAgainst(Path base) {
        return new PolicySettings(base.resolve(file).normalize(), optional, rcptCheck);
    }
}
