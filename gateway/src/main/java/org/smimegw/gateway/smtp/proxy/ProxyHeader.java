package org.smimegw.gateway.smtp.proxy;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What one PROXY protocol header said about the connection it precedes.
 *
 * @param version     1 (text) or 2 (binary)
 * @param source      the original client's address and port; null when the header carries none (version 1
 *                    {@code UNKNOWN}, version 2 {@code LOCAL}, or a version 2 family other than TCP over IPv4/IPv6):
 *                    the connection's own peer, the load balancer, then stands for the client, as the specification
 *                    asks
 * @param destination the address and port the client connected to; null likewise
 */
public record ProxyHeader(int version, InetSocketAddress source, InetSocketAddress destination) {

    /** A header that names no client: the connection's own endpoints apply. */
    static ProxyHeader withoutAddresses(int version) {
        return new ProxyHeader(version, null, null);
    }

    /** The original client, when the header names one. */
    public Optional<InetSocketAddress> client() {
        return Optional.ofNullable(source);
    }
}
