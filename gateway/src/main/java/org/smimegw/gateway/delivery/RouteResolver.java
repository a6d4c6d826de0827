package org.smimegw.gateway.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the next hop for a recipient domain: an exact route, else the most specific {@code *.parent} wildcard that
 * the domain is a subdomain of, else the smarthost, else (with {@code mx.enabled}) the domain's MX hosts. Empty
 * means the recipient cannot be routed (5.4.4).
 */
public final class RouteResolver {
    private final Map<String, DeliveryConfig.Route> exact = new HashMap<>();
    private final Map<String, DeliveryConfig.Route> wildcard = new HashMap<>();
    private final DeliveryConfig.Route smarthost;
    private final boolean mx;

    public RouteResolver(DeliveryConfig config) {
        config.routes().forEach((key, route) -> {
            String domain = DeliveryConfig.normalizeDomain(key);
            if (domain.startsWith("*.")) {
                wildcard.put(domain.substring(2), route);
            } else {
                exact.put(domain, route);
            }
        });
        this.smarthost = config.smarthost();
        this.mx = config.mx().enabled();
    }

    Optional<NextHop> nextHopFor(String recipient) {
        int at = recipient.lastIndexOf('@');
        String domain = DeliveryConfig.normalizeDomain(at < 0 ? "" : recipient.substring(at + 1));
        DeliveryConfig.Route route = exact.get(domain);
        if (route != null) {
            return Optional.of(new NextHop.Relay(route));
        }
        for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
            route = wildcard.get(domain.substring(dot + 1));
            if (route != null) {
                return Optional.of(new NextHop.Relay(route));
            }
        }
        if (smarthost != null) {
            return Optional.of(new NextHop.Relay(smarthost));
        }
        return mx && !domain.isEmpty() ? Optional.of(new NextHop.Mx(domain)) : Optional.empty();
    }
}
