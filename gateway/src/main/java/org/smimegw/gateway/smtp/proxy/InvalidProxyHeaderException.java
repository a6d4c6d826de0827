package org.smimegw.gateway.smtp.proxy;

/** The bytes at the start of a load balancer's connection are not a valid PROXY protocol header; the message says why. */
public final class InvalidProxyHeaderException extends Exception {
    InvalidProxyHeaderException(String message) {
        super(message);
    }
}
