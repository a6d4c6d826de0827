package org.smimegw.gateway.cli.quarantine;

/**
 * Envelope attributes of quarantined and released mail (shared with the policy enforcement mailets, which use the
 * same strings; envelope attributes named {@code policy.*} become String mail attributes of the same name when the
 * pipeline reads a mail from the spool, and {@code ToSpoolArea} stores them back).
 */
public final class QuarantineAttributes {
    /** Why the mail was quarantined (one line), set by the enforcement mailet that quarantined it. */
    public static final String REASON = "policy.quarantineReason";
    /**
     * Present ("true") on a mail an administrator released with {@code quarantine release}: the inbound policy check
     * lets it through instead of quarantining it again.
     */
    public static final String RELEASED = "policy.released";
    /** When it was released (ISO-8601). */
    public static final String RELEASED_AT = "policy.releasedAt";
    /** Why it was released, as the administrator gave it (one line; optional). */
    public static final String RELEASE_REASON = "policy.releaseReason";

    private QuarantineAttributes() {
    }
}
