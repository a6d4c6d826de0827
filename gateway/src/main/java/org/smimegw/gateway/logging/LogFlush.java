package org.smimegw.gateway.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Writes out what the asynchronous log appender still holds and stops logging; called last before the process
 * exits (end of {@code main}, end of the shutdown hook of {@code run}), so no queued line is lost.
 */
public final class LogFlush {
    private LogFlush() {
    }

    public static void flushAndStop() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }
}
