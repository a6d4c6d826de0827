package org.smimegw.gateway.app;

import org.smimegw.mailets.config.ConfigFileException;

/**
 * The gateway could not start: a component refused its configuration (e.g. {@code mailetcontainer.xml:12: unknown
 * mailet class Foo}) or a port could not be bound. The message is one line for the admin.
 */
public class StartupException extends Exception {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A configuration file (policy, pipeline) was refused, as opposed to a failure of the machine (a port in use). */
    public boolean configuration() {
        return getCause() instanceof ConfigFileException;
    }
}
