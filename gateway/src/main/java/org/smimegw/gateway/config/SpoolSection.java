package org.smimegw.gateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smimegw.gateway.spool.SpoolSettings;

/**
 * YAML {@code spool:} as written, every key optional: the free-space reserve (default 1.5 × the largest message,
 * as Postfix's) and the bound of files kept for reuse.
 */
record SpoolSection(Long minFreeBytes, Long recycleBytes) {

    @JsonCreator
    static SpoolSection of(@JsonProperty("minFreeBytes") Long minFreeBytes,
                           @JsonProperty("recycleBytes") Long recycleBytes) {
        if (minFreeBytes != null && minFreeBytes < 0) {
            throw new IllegalArgumentException("spool.minFreeBytes: must not be negative, is " + minFreeBytes);
        }
        if (recycleBytes != null && recycleBytes < 0) {
            throw new IllegalArgumentException("spool.recycleBytes: must not be negative, is " + recycleBytes);
        }
        return new SpoolSection(minFreeBytes, recycleBytes);
    }

    SpoolSettings toSettings(long maxMessageSize) {
        return new SpoolSettings(minFreeBytes != null ? minFreeBytes : SpoolSettings.defaultMinFree(maxMessageSize),
                recycleBytes != null ? recycleBytes : SpoolSettings.DEFAULT_RECYCLE_BYTES);
    }
}
