package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space of the file system the spool is on, and the reserve below which the gateway should stop taking
 * mail (what readiness reports as degraded). One small seam: a spool that enforces a reserve of its own can offer
 * it here.
 */
public interface SpoolSpace {

    /** Bytes a new spool file can still use. */
    long freeBytes() throws IOException;

    /** The free space the gateway keeps in reserve. */
    long reserveBytes();

    /** The usable space of {@code directory}'s file store, with a fixed reserve. */
    static SpoolSpace of(Path directory, long reserveBytes) {
        return new SpoolSpace() {
            @Override
            public long freeBytes() throws IOException {
                return Files.getFileStore(directory).getUsableSpace();
            }

            @Override
            public long reserveBytes() {
                return reserveBytes;
            }
        };
    }
}
