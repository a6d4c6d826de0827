package org.smimegw.mailets.policy;

/** What happens to inbound mail that an internal recipient's policy requires signed or encrypted but is not. */
public enum InboundViolationAction {
    /** Refused with 5.7.1 (at RCPT/DATA time when known there, otherwise a DSN to the sender). */
    Reject,
    /** Kept in the quarantine spool area; an admin can release (re-run the pipeline) or delete it. */
    Quarantine
}
