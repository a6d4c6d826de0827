package org.smimegw.gateway.smtp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The RFC 5322 date of a trace header, in UTC ({@code Sat, 28 Nov 2026 09:23:17 +0000}). The text of the most recent
 * second is kept: messages arriving in the same second share it instead of each running the formatter.
 * Thread-safe (one immutable pair in a volatile field).
 */
final class HeaderDate {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    String format(Instant when) {
        long second = when.getEpochSecond();
        Formatted f = last;
        if (f.second() != second) {
            f = new Formatted(second, FORMAT.format(when));
            last = f;
        }
        return f.text();
    }

    private record Formatted(long second, String text) {
    }
}
