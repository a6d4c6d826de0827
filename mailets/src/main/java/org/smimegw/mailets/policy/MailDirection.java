package org.smimegw.mailets.policy;

/** Outbound: the gateway acts for an internal sender (signs, encrypts). Inbound: for an internal recipient (decrypts, verifies, enforces). */
public enum MailDirection {
    OUTBOUND, INBOUND
}
