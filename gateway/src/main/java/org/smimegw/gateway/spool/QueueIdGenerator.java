package org.smimegw.gateway.spool;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue ids that sort in creation order and stay unique across restarts: 12 hex digits of epoch milliseconds,
 * 6 hex digits of a per-instance sequence (orders ids created within one millisecond) and 6 random hex digits
 * drawn once per instance (separate instances and restarts within the same millisecond). 24 upper-case
 * characters, safe as a file name.
 */
final class QueueIdGenerator {
    static final int LENGTH = 24;
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    private final Clock clock;
    private final int instance = new SecureRandom().nextInt(0x1000000);
    private final AtomicLong sequence = new AtomicLong();

    QueueIdGenerator(Clock clock) {
        this.clock = clock;
    }

    String next() {
        long millis = clock.millis();
        long seq = sequence.getAndIncrement() & 0xFFFFFFL;
        byte[] id = new byte[LENGTH];
        hex(id, 0, 12, millis);
        hex(id, 12, 6, seq);
        hex(id, 18, 6, instance);
        return new String(id, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The lowest {@code digits} hex digits of {@code value}, upper case, into {@code out} from {@code at}. */
    private static void hex(byte[] out, int at, int digits, long value) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    static boolean isValid(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
