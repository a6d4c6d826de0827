package org.smimegw.mailets.policy;

/** Where a setting's value can come from, least specific first: a more specific level overrides a less specific one. */
public enum PolicyLevel {
    /** Built into the gateway; shown as "default". */
    DEFAULT,
    /** The {@code global:} section. */
    GLOBAL,
    /** A {@code domains:} entry such as {@code *.example.com} (subdomains of example.com, any depth). */
    WILDCARD_DOMAIN,
    /** A {@code domains:} entry naming one domain exactly. */
    DOMAIN,
    /** A {@code users:} entry naming one address. */
    USER
}
