package org.smimegw.bench.sut;

import java.util.Optional;

/** A relay the load generator sends to (or none: straight into the sink), with its process for CPU readings. */
public interface SystemUnderTest extends AutoCloseable {

    String name();

    String host();

    int port();

    /** The process whose tree's CPU time is the SUT's cost, -1 when there is none (sink only). */
    long pid();

    /** Peak heap, when the SUT is a JVM that logs its collections. */
    default Optional<GcLogHeap.Peak> heap() {
        return Optional.empty();
    }

    @Override
    void close();

    /** No relay: the generator talks straight to the sink (the rig's own ceiling). */
    static SystemUnderTest direct(int sinkPort) {
        return new SystemUnderTest() {
            @Override
            public String name() {
                return "sink only";
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return sinkPort;
            }

            @Override
            public long pid() {
                return -1;
            }

            @Override
            public void close() {
            }
        };
    }
}
