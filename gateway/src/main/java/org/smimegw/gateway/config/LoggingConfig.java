package org.smimegw.gateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * YAML {@code logging:}.
 *
 * @param format {@code text} (default): one line per event as documented; {@code json}: one JSON object per line
 */
public record LoggingConfig(Format format) {

    public enum Format { TEXT, JSON }

    @JsonCreator
    public static LoggingConfig of(@JsonProperty("format") Format format) {
        return new LoggingConfig(format == null ? Format.TEXT : format);
    }

    public static LoggingConfig defaults() {
        return of(null);
    }
}
