package org.smimegw.gateway.app;

/**
 * What the web console module provides (found with {@link java.util.ServiceLoader}, so the gateway does not depend
 * on it): the console as a {@link Component} of the running gateway. {@link GatewayApplication} asks for it only when
 * {@code console.enabled} is true, and refuses to start when it is enabled but no implementation is on the class path.
 */
public interface ConsoleFactory {

    /** Builds (does not start) the console over the running gateway's services. */
    Console create(GatewayServices services) throws Exception;

    /** The console as a part of the gateway. */
    interface Console extends Component {
        /** Where it is served ({@code https://host:port/}, or {@code http://} on loopback); after start. */
        java.net.URI uri();
    }
}
