package org.smimegw.gateway.delivery;

import java.nio.file.Path;

import org.smimegw.gateway.spool.Spool;

/** Gives tests in other packages the package-private {@link TestSpool}. */
public record TestSpoolAccess(Path dir) {
    public Spool spool() {
        return new TestSpool(dir);
    }
}
