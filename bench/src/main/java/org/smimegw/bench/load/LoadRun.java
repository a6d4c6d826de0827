package org.smimegw.bench.load;

import java.util.List;
import java.util.Map;

/**
 * What one run of the load generator measured.
 *
 * @param startNanos       when sending started (System.nanoTime)
 * @param endNanos         when the last session finished
 * @param accepted         messages answered 250 after DATA
 * @param failed           messages refused or lost to a broken connection
 * @param bytesSent        message bytes of the accepted messages
 * @param acceptLatencies  end of DATA → 250, nanoseconds, one per accepted message
 * @param acceptTimes      X-Bench-Id → nanoTime of the 250, for end-to-end latency
 * @param connections      SMTP connections opened
 * @param errors           the first few error texts
 */
public record LoadRun(long startNanos, long endNanos, long accepted, long failed, long bytesSent,
                      long[] acceptLatencies, Map<String, Long> acceptTimes, long connections, List<String> errors) {

    public double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    public double acceptedPerSecond() {
        return accepted / Math.max(1e-9, seconds());
    }
}
