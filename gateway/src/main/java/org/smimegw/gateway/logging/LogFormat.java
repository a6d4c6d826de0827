package org.smimegw.gateway.logging;

import java.util.Iterator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.config.LoggingConfig;

/**
 * Applies {@code logging.format} of gateway.yaml to the console appender logback.xml set up: {@code text} keeps the
 * documented line format; {@code json} gives the appender a {@link LogstashEncoder}, one JSON object per line with
 * {@code @timestamp}, {@code level}, {@code logger_name}, {@code thread_name}, {@code message}, the MDC
 * ({@code queueId}) and the event's key/value pairs ({@code stage}, {@code outcome}, {@link LogFields}), and a
 * stack trace in {@code stack_trace}. Called once by {@code run} after reading the configuration, before the gateway
 * starts.
 */
public final class LogFormat {
    private LogFormat() {
    }

    public static void apply(LoggingConfig.Format format) {
        if (format != LoggingConfig.Format.JSON) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration decides
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            useJson(it.next(), context);
        }
    }

    private static void useJson(Appender<ILoggingEvent> appender, LoggerContext context) {
        if (appender instanceof AsyncAppenderBase<ILoggingEvent> async) {
            for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext(); ) {
                useJson(it.next(), context);
            }
        } else if (appender instanceof OutputStreamAppender<ILoggingEvent> output) {
            LogstashEncoder encoder = new LogstashEncoder();
            encoder.setContext(context);
            encoder.start();
            output.stop();
            output.setEncoder(encoder);
            output.start();
        }
    }
}
