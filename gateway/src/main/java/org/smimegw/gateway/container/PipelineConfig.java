package org.smimegw.gateway.container;

import java.nio.file.Path;

/**
 * Settings of the mailet pipeline.
 *
 * @param config            the mailetcontainer.xml to load (default {@code conf/mailetcontainer.xml})
 * @param workers           threads running mails through the container (default 4)
 * @param maxFailures       failed pipeline runs after which a mail is moved to the ERROR spool area (default 5)
 * @param retryDelaySeconds wait before a failed mail is tried again (default 30)
 */
public record PipelineConfig(Path config, int workers, int maxFailures, int retryDelaySeconds) {
    public static final Path DEFAULT_CONFIG = Path.of("conf", "mailetcontainer.xml");

    public PipelineConfig {
        if (config == null) {
            config = DEFAULT_CONFIG;
        }
        if (workers < 1) {
            throw new IllegalArgumentException("pipeline.workers must be at least 1, was " + workers);
        }
        if (maxFailures < 1) {
            throw new IllegalArgumentException("pipeline.maxFailures must be at least 1, was " + maxFailures);
        }
        if (retryDelaySeconds < 0) {
            throw new IllegalArgumentException("pipeline.retryDelaySeconds must not be negative, was "
                    + retryDelaySeconds);
        }
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(DEFAULT_CONFIG, 4, 5, 30);
    }
}
