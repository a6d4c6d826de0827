package org.smimegw.mailets.policy;

/** Revocation status of a recipient certificate as the validator found it. */
public enum RevocationStatus {
    /** Checked: not revoked. */
    GOOD,
    /** The CRL could not be fetched: status unknown (OWACheckCRLOnSend decides). */
    UNKNOWN,
    /** Not checked (OWADisableCRLCheck, or no CRL distribution point). */
    NOT_CHECKED
}
