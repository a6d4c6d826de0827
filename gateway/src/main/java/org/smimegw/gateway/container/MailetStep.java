package org.smimegw.gateway.container;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import org.apache.mailet.Mailet;
import org.apache.mailet.Matcher;

/**
 * One {@code <mailet>} of a processor: its matcher (a Not for {@code notmatch}), the mailet, the exception
 * policies and its metrics.
 *
 * @param index        1-based position in the processor
 * @param description  "{@code MatcherSpec -> MailetClass}" for logs and errors
 * @param line         line of the {@code <mailet>} element in the configuration
 * @param outline      what the administrator sees of it
 */
record MailetStep(int index, String description, int line, Matcher matcher, Mailet mailet,
                  ExceptionPolicy onMatchException, ExceptionPolicy onMailetException,
                  Timer timer, Counter mailetExceptions, Counter matcherExceptions, MailetOutline outline) {
}
