package org.smimegw.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The machine's host name, used when the configuration names none. */
final class HostNames {
    private HostNames() {
    }

    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
