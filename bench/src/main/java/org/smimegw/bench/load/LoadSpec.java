package org.smimegw.bench.load;

import java.time.Duration;

/**
 * What the load generator does.
 *
 * @param host                 target SMTP host
 * @param port                 target SMTP port
 * @param sessions             concurrent SMTP sessions
 * @param duration             how long to send (new messages are not started after it)
 * @param maxMessages          stop after this many messages in total, 0 for no limit
 * @param ratePerSecond        total pacing over all sessions in messages per second, 0 for as fast as possible
 * @param reconnectEachMessage a new connection per message (like smtp-source without -d) instead of reusing it
 * @param idPrefix             prefix of the X-Bench-Id values of this run (unique per phase)
 */
public record LoadSpec(String host, int port, int sessions, Duration duration, long maxMessages, double ratePerSecond,
                       boolean reconnectEachMessage, String idPrefix) {

    public LoadSpec {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be >= 1");
        }
    }

    public LoadSpec withRate(double rate) {
        return new LoadSpec(host, port, sessions, duration, maxMessages, rate, reconnectEachMessage, idPrefix);
    }

    public LoadSpec withDuration(Duration d, String prefix) {
        return new LoadSpec(host, port, sessions, d, maxMessages, ratePerSecond, reconnectEachMessage, prefix);
    }
}
