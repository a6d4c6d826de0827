package org.smimegw.gateway.delivery;

/**
 * Where the recipients of one domain go: a configured relay (a route or the smarthost), or the domain's own mail
 * exchangers, looked up in DNS at each attempt. Recipients with equal next hops share one SMTP transaction.
 */
sealed interface NextHop {

    /** A configured next hop: a {@code delivery.routes} entry or the smarthost. */
    record Relay(DeliveryConfig.Route route) implements NextHop {
    }

    /** Direct delivery to the MX hosts of {@code domain} (lower case). */
    record Mx(String domain) implements NextHop {
    }
}
