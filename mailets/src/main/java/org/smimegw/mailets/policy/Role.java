package org.smimegw.mailets.policy;

/**
 * The two roles a party plays in a mail. An entry's settings written directly under it apply in both roles; those in
 * its {@code Sending:} or {@code Receiving:} block only in that role (and win over the entry's direct ones).
 */
public enum Role {
    /** Mail the party sends ({@code Sending:}). */
    SENDING("Sending"),
    /** Mail the party receives ({@code Receiving:}). */
    RECEIVING("Receiving");

    private final String blockName;

    Role(String blockName) {
        this.blockName = blockName;
    }

    /** The YAML key of the block: {@code Sending} or {@code Receiving}. */
    public String blockName() {
        return blockName;
    }
}
