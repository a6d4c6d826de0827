package org.smimegw.gateway.app;

/**
 * Something that re-reads its configuration while the gateway runs (policy, certificate sources, ...). Called by
 * the admin endpoint {@code POST /reload} and so by {@code smime-gateway reload}. An implementation either applies
 * the whole new configuration or keeps the old one and throws.
 */
@FunctionalInterface
public interface Reloadable {

    /**
     * Re-reads and applies the configuration.
     *
     * @return a one-line summary for the admin (e.g. "policy: 3 rules")
     * @throws Exception when the new configuration cannot be applied; the message is shown to the admin
     */
    String reload() throws Exception;

    /** Nothing to reload. */
    static Reloadable nothing() {
        return () -> "nothing to reload";
    }
}
