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

    /**
     * Envelope attributes with this prefix are the policy's state that must survive a spool round trip (e.g.
     * {@code policy.quarantineReason}, {@code policy.released}): a mail read from the spool gets them as String mail
     * attributes of the same name, and {@link ToSpoolArea} stores a mail's String attributes with this prefix.
     */
    public static final String POLICY_PREFIX = "policy.";

    private PipelineAttributes() {
    }
}
