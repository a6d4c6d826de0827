package org.smimegw.gateway.container;

/** Keys of the pipeline's state in {@link org.smimegw.gateway.spool.Envelope#attributes()}. */
public final class PipelineAttributes {
    /** The processor a (re-injected) mail starts in; absent means {@code root}. */
    public static final String STATE = "pipeline.state";
    /** Number of failed pipeline runs so far. */
    public static final String FAILURES = "pipeline.failures";
    /** Epoch milliseconds before which the mail is not run (retry delay, delayed sendMail). */
    public static final String NOT_BEFORE = "pipeline.notBefore";
    /** One-line reason of the last failure. */
    public static final String LAST_ERROR = "pipeline.lastError";

    private PipelineAttributes() {
    }
}
