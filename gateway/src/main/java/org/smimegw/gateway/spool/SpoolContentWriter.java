package org.smimegw.gateway.spool;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the content of a new spool entry, streaming, once the spool has allocated its queue id (so the writer can
 * put the id into a header, e.g. {@code Received: ... id <id>}). An {@link IOException} thrown by the writer itself
 * (client went away, size limit exceeded) propagates unchanged and the partial temp file is removed; failures of
 * the spool's own file are reported as {@link SpoolException}.
 */
@FunctionalInterface
public interface SpoolContentWriter {
    void writeTo(String queueId, OutputStream out) throws IOException;
}
