package org.smimegw.gateway.cli;

/** Exit codes of {@code smime-gateway}. */
public final class ExitCodes {
    private ExitCodes() {
    }

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int CONFIG = 3;
    /** A command that works on the gateway's state found none where the configuration puts it. */
    public static final int NO_STATE = 4;
}
