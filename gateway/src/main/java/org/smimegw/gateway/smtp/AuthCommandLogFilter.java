package org.smimegw.gateway.smtp;

import java.util.Locale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Keeps SMTP AUTH credentials out of the log at every level: SubEthaSMTP logs each client command line at DEBUG
 * ({@code Client: AUTH PLAIN <base64 user and password>}); this filter drops any event of the {@code org.subethamail}
 * loggers that carries an AUTH command line. Installed in {@code logback.xml} as a {@code <turboFilter>}; a custom
 * logging configuration should keep it.
 */
public final class AuthCommandLogFilter extends TurboFilter {
    private static final String LIBRARY_LOGGERS = "org.subethamail";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (logger == null || !logger.getName().startsWith(LIBRARY_LOGGERS)) {
            return FilterReply.NEUTRAL;
        }
        if (isAuthLine(format)) {
            return FilterReply.DENY;
        }
        if (params != null) {
            for (Object p : params) {
                if (p instanceof CharSequence s && isAuthLine(s.toString())) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }

    /** A line that is (or ends with) an AUTH command, e.g. {@code AUTH PLAIN AGFsaWNl...}. */
    static boolean isAuthLine(String text) {
        if (text == null) {
            return false;
        }
        String upper = text.strip().toUpperCase(Locale.ROOT);
        return upper.startsWith("AUTH ") || upper.contains(": AUTH ");
    }
}
