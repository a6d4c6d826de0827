package org.smimegw.mailets.policy;

/** Which party of a sender/recipient pair a value came from. */
public enum Side {
    SENDER, RECIPIENT;

    public String label() {
        return this == SENDER ? "sender" : "recipient";
    }
}
