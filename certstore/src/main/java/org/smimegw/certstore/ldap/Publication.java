package org.smimegw.certstore.ldap;

import java.util.List;

import com.unboundid.ldap.sdk.Modification;

/**
 * What publishing a user's current certificates changes on the user's directory entry: one line per value added or
 * removed ({@link #changes()}, empty when the entry is up to date), and the LDAP modifications that do it.
 */
public final class Publication {
    private final String address;
    private final String entryDn;
    private final List<String> changes;
    private final List<Modification> modifications;

    Publication(String address, String entryDn, List<String> changes, List<Modification> modifications) {
        this.address = address;
        this.entryDn = entryDn;
        this.changes = List.copyOf(changes);
        this.modifications = List.copyOf(modifications);
    }

    /** The address the entry was found by. */
    public String address() {
        return address;
    }

    /** The user's entry. */
    public String entryDn() {
        return entryDn;
    }

    /** E.g. {@code add userCertificate;binary 'CN=Alice' serial 1a2b sha256 0f1e... (until 2027-11-28)}. */
    public List<String> changes() {
        return changes;
    }

    public boolean upToDate() {
        return modifications.isEmpty();
    }

    List<Modification> modifications() {
        return modifications;
    }
}
