package org.smimegw.gateway.app;

/**
 * The gateway could not start: a component refused its configuration (e.g. {@code mailetcontainer.xml:12: unknown
 * mailet class Foo}) or a port could not be bound. The message is one line for the admin.
 */
public class StartupException extends Exception {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
