package org.smimegw.bench;

import java.util.List;
import java.util.Map;

import org.smimegw.bench.load.LatencyStats;
import org.smimegw.bench.load.ThroughputResult;

/** Load rows for tests of the figures computed from them. */
public final class Rows {

    private Rows() {
    }

    /** A 10 KB row with the given delivered rate and SUT CPU per message that delivered everything it accepted. */
    public static ThroughputResult row(String name, double deliveredPerSecond, double cpuMillisPerMessage) {
        return row(name, deliveredPerSecond, cpuMillisPerMessage, 100, 0, 0);
    }

    public static ThroughputResult row(String name, double deliveredPerSecond, double cpuMillisPerMessage,
                                       long delivered, long failed, double acceptP99Millis) {
        LatencyStats.Summary accept = new LatencyStats.Summary(100, acceptP99Millis / 2, acceptP99Millis,
                acceptP99Millis, acceptP99Millis);
        LatencyStats.Summary none = new LatencyStats.Summary(0, 0, 0, 0, 0);
        return new ThroughputResult(name, "gateway", 10240, 1, 20, 0, 3, delivered + failed, delivered, failed,
                deliveredPerSecond, deliveredPerSecond, deliveredPerSecond * 10240 / 1e6, accept, none, 100,
                cpuMillisPerMessage, 50, 90, -1, Map.of(), List.of());
    }
}
