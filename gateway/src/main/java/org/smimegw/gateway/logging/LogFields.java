package org.smimegw.gateway.logging;

/**
 * The key/value pairs the gateway adds to its stage lines (SLF4J's {@code addKeyValue}): invisible in the text
 * format, fields in the JSON format ({@code logging.format: json}), so that e.g. every deferral is
 * {@code outcome == "deferred"}. Stages: {@code smtp}, {@code pipeline}, {@code delivery}, {@code policy}.
 */
public final class LogFields {
    private LogFields() {
    }

    public static final String STAGE = "stage";
    public static final String OUTCOME = "outcome";
}
