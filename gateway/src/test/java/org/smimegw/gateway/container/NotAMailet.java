package org.smimegw.gateway.container;

/** Test class that is neither a Mailet nor a Matcher. */
public class NotAMailet {
}
