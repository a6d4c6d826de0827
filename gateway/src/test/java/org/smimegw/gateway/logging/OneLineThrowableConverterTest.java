package org.smimegw.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class OneLineThrowableConverterTest {
    private final LoggerContext context = new LoggerContext();

    private String format(Throwable t) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("exOneLine", OneLineThrowableConverter::new);
        layout.setPattern("%msg%exOneLine{short}");
        layout.start();
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("test"), Level.WARN,
                "delivery failed", t, null);
        return layout.doLayout(event);
    }

    @Test
    void eventWithoutExceptionGetsNothingAppended() {
        assertThat(format(null)).isEqualTo("delivery failed");
    }

    @Test
    void exceptionIsFoldedOntoTheSameLine() {
        String line = format(new IOException("disk full\nsecond line"));

        assertThat(line).startsWith("delivery failed | java.io.IOException: disk full second line")
                .doesNotContain("\n").doesNotContain("\r").doesNotContain("\t")
                .contains("at org.smimegw.gateway.logging.OneLineThrowableConverterTest");
    }
}
