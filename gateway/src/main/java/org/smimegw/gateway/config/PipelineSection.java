package org.smimegw.gateway.config;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smimegw.gateway.container.PipelineConfig;
import org.smimegw.mailets.mime.MimeLimits;

/**
 * YAML {@code pipeline:} as written: every key optional, turned into the container's {@link PipelineConfig} with
 * its defaults for what is left out.
 */
record PipelineSection(Path config, Integer workers, Integer maxFailures, Integer retryDelaySeconds,
                       Integer inFlowDelayMillis, MimeLimitsSection mimeLimits) {

    @JsonCreator
    static PipelineSection of(@JsonProperty("config") Path config, @JsonProperty("workers") Integer workers,
                              @JsonProperty("maxFailures") Integer maxFailures,
                              @JsonProperty("retryDelaySeconds") Integer retryDelaySeconds,
                              @JsonProperty("inFlowDelayMillis") Integer inFlowDelayMillis,
                              @JsonProperty("mimeLimits") MimeLimitsSection mimeLimits) {
        return new PipelineSection(config, workers, maxFailures, retryDelaySeconds, inFlowDelayMillis, mimeLimits);
    }

    /** YAML {@code pipeline.mimeLimits:}, every key optional. */
    record MimeLimitsSection(Integer maxDepth, Integer maxParts, Integer maxHeaderBytes) {
        @JsonCreator
        static MimeLimitsSection of(@JsonProperty("maxDepth") Integer maxDepth,
                                    @JsonProperty("maxParts") Integer maxParts,
                                    @JsonProperty("maxHeaderBytes") Integer maxHeaderBytes) {
            require(maxDepth == null || maxDepth >= 1, "pipeline.mimeLimits.maxDepth", "at least 1", maxDepth);
            require(maxParts == null || maxParts >= 1, "pipeline.mimeLimits.maxParts", "at least 1", maxParts);
            require(maxHeaderBytes == null || maxHeaderBytes >= 1024, "pipeline.mimeLimits.maxHeaderBytes",
                    "at least 1024", maxHeaderBytes);
            return new MimeLimitsSection(maxDepth, maxParts, maxHeaderBytes);
        }

        MimeLimits toMimeLimits() {
            return new MimeLimits(maxDepth == null ? MimeLimits.DEFAULT_MAX_DEPTH : maxDepth,
                    maxParts == null ? MimeLimits.DEFAULT_MAX_PARTS : maxParts,
                    maxHeaderBytes == null ? MimeLimits.DEFAULT_MAX_HEADER_BYTES : maxHeaderBytes);
        }

        private static void require(boolean ok, String key, String rule, Object value) {
            if (!ok) {
                throw new IllegalArgumentException(key + ": must be " + rule + ", is " + value);
            }
        }
    }

    /** The container's settings (a relative default path is resolved later by the loader). */
    PipelineConfig toPipelineConfig() {
        PipelineConfig defaults = PipelineConfig.defaults();
        return new PipelineConfig(config == null ? defaults.config() : config,
                workers == null ? defaults.workers() : workers,
                maxFailures == null ? defaults.maxFailures() : maxFailures,
                retryDelaySeconds == null ? defaults.retryDelaySeconds() : retryDelaySeconds,
                inFlowDelayMillis == null ? defaults.inFlowDelayMillis() : inFlowDelayMillis,
                mimeLimits == null ? defaults.mimeLimits() : mimeLimits.toMimeLimits());
    }
}
