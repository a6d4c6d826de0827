package org.smimegw.gateway.smtp;

import java.util.List;
import java.util.Locale;

/**
 * Relay rights: a recipient is accepted when the client is in {@code mynetworks}, has authenticated, or the
 * recipient's domain is one the gateway relays for. Everything else is refused: never an open relay.
 */
final class RelayPolicy {
    private final NetworkList mynetworks;
    private final List<String> relayDomains;

    RelayPolicy(NetworkList mynetworks, List<String> relayDomains) {
        this.mynetworks = mynetworks;
        this.relayDomains = relayDomains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).toList();
    }

    boolean isTrusted(java.net.InetAddress client) {
        return mynetworks.contains(client);
    }

    boolean allows(SmtpSessionInfo session, String recipient) {
        return session.trustedNetwork() || session.authenticatedUser().isPresent()
                || isRelayDomain(MailPath.domainOf(recipient));
    }

    boolean isRelayDomain(String domain) {
        if (domain.isEmpty()) {
            return false;
        }
        for (String d : relayDomains) {
            if (d.startsWith(".") ? domain.endsWith(d) : domain.equals(d)) {
                return true;
            }
        }
        return false;
    }
}
