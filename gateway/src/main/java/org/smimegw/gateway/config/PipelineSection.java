package org.smimegw.gateway.config;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smimegw.gateway.container.PipelineConfig;

/**
 * YAML {@code pipeline:} as written: every key optional, turned into the container's {@link PipelineConfig} with
 * its defaults for what is left out.
 */
record PipelineSection(Path config, Integer workers, Integer maxFailures, Integer retryDelaySeconds,
                       Integer inFlowDelayMillis) {

    @JsonCreator
    static PipelineSection of(@JsonProperty("config") Path config, @JsonProperty("workers") Integer workers,
                              @JsonProperty("maxFailures") Integer maxFailures,
                              @JsonProperty("retryDelaySeconds") Integer retryDelaySeconds,
                              @JsonProperty("inFlowDelayMillis") Integer inFlowDelayMillis) {
        return new PipelineSection(config, workers, maxFailures, retryDelaySeconds, inFlowDelayMillis);
    }

    /** The container's settings (a relative default path is resolved later by the loader). */
    PipelineConfig toPipelineConfig() {
        PipelineConfig defaults = PipelineConfig.defaults();
        return new PipelineConfig(config == null ? defaults.config() : config,
                workers == null ? defaults.workers() : workers,
                maxFailures == null ? defaults.maxFailures() : maxFailures,
                retryDelaySeconds == null ? defaults.retryDelaySeconds() : retryDelaySeconds,
                inFlowDelayMillis == null ? defaults.inFlowDelayMillis() : inFlowDelayMillis);
    }
}
