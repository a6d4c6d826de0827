package org.smimegw.gateway.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback conversion word {@code %exOneLine}: nothing for an event without an exception, otherwise
 * {@code " | "} and the exception as {@code %ex} would print it (options such as {@code {short}} apply), folded onto
 * one line. Replaces a pair of {@code %replace} regular expressions that ran on every log line.
 */
public final class OneLineThrowableConverter extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
        if (event.getThrowableProxy() == null) {
            return "";
        }
        String text = super.convert(event);
        StringBuilder folded = new StringBuilder(text.length() + 3).append(" | ");
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t') {
                space = true;
            } else {
                if (space && folded.length() > 3) {
                    folded.append(' ');
                }
                space = false;
                folded.append(c);
            }
        }
        return folded.toString().stripTrailing();
    }
}
