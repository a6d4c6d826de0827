package org.smimegw.gateway.spool;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue ids that sort in creation order and stay unique across restarts: 12 hex digits of epoch milliseconds,
 * 6 hex digits of a per-instance sequence (orders ids created within one millisecond) and 6 random hex digits
 * (separates instances and restarts within the same millisecond). 24 upper-case characters, safe as a file name.
 */
final class QueueIdGenerator {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong sequence = new AtomicLong();

    QueueIdGenerator(Clock clock) {
        this.clock = clock;
    }

    String next() {
        long millis = clock.millis();
        long seq = sequence.getAndIncrement() & 0xFFFFFFL;
        int rnd = random.nextInt(0x1000000);
        return String.format(Locale.ROOT, "%012X%06X%06X", millis, seq, rnd);
    }

    static boolean isValid(String id) {
        return id != null && id.matches("[0-9A-F]{24}");
    }
}
