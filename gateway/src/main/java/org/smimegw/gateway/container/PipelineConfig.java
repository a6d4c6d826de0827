package org.smimegw.gateway.container;

import java.nio.file.Path;

import org.smimegw.mailets.mime.MimeLimits;

/**
 * Settings of the mailet pipeline.
 *
 * @param config            the mailetcontainer.xml to load (default {@code mailetcontainer.xml} beside gateway.yaml)
 * @param workers           threads running mails through the container (default 16: with immediate delivery they
 *                          also wait on next hops)
 * @param maxFailures       failed pipeline runs after which a mail is moved to the ERROR spool area (default 5)
 * @param retryDelaySeconds wait before a failed mail is tried again (default 30)
 * @param inFlowDelayMillis longest wait of an SMTP session before a new mail while the pipeline's backlog is at
 *                          {@link #inFlowLimit()} (as Postfix's in_flow_delay; default 1000, 0 turns it off)
 * @param mimeLimits        limits on a message's MIME structure ({@code pipeline.mimeLimits}): the mailet
 *                          {@code EnforceMimeLimits} gives mail over them a verdict, the SMTP front end refuses a
 *                          header section over {@code maxHeaderBytes}
 */
public record PipelineConfig(Path config, int workers, int maxFailures, int retryDelaySeconds, int inFlowDelayMillis,
                             MimeLimits mimeLimits) {
    /** Beside gateway.yaml (relative paths resolve against its directory). */
    public static final Path DEFAULT_CONFIG = Path.of("mailetcontainer.xml");
    public static final int DEFAULT_IN_FLOW_DELAY_MILLIS = 1000;
    /** Mails queued or running per worker at which SMTP sessions start to wait. */
    static final int IN_FLOW_BACKLOG_PER_WORKER = 8;

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
        if (inFlowDelayMillis < 0) {
            throw new IllegalArgumentException("pipeline.inFlowDelayMillis must not be negative, was "
                    + inFlowDelayMillis);
        }
        if (mimeLimits == null) {
            mimeLimits = MimeLimits.defaults();
        }
    }

    /** With the default MIME limits. */
    public PipelineConfig(Path config, int workers, int maxFailures, int retryDelaySeconds, int inFlowDelayMillis) {
        this(config, workers, maxFailures, retryDelaySeconds, inFlowDelayMillis, MimeLimits.defaults());
    }

    /** With the default in-flow delay. */
    public PipelineConfig(Path config, int workers, int maxFailures, int retryDelaySeconds) {
        this(config, workers, maxFailures, retryDelaySeconds, DEFAULT_IN_FLOW_DELAY_MILLIS);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(DEFAULT_CONFIG, 16, 5, 30, DEFAULT_IN_FLOW_DELAY_MILLIS, MimeLimits.defaults());
    }

    /** Backlog (mails queued or running in the pipeline) at which new SMTP transactions wait: 8 per worker. */
    public int inFlowLimit() {
        return workers * IN_FLOW_BACKLOG_PER_WORKER;
    }
}
