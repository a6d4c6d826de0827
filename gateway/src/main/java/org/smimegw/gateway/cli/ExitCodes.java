package org.smimegw.gateway.cli;

/**
 * The exit codes of every {@code smime-gateway} command, one scheme for all (docs/app.md, "Exit codes"). The same
 * error gives the same code whichever command meets it: a refused gateway.yaml, policy.yaml or mailetcontainer.xml
 * is {@link #CONFIG} for {@code run}, {@code reload}, {@code policy check}, {@code policy explain} and {@code certs}.
 */
public final class ExitCodes {
    private ExitCodes() {
    }

    /** Done; for a check, the answer is yes. */
    public static final int OK = 0;
    /**
     * Failed, the one-line message says why: a server refused or could not be reached, a port is in use, a file
     * cannot be read, an import imported nothing, {@code certs verify}: the certificate is not valid.
     */
    public static final int FAILURE = 1;
    /** The command line itself is wrong: unknown option, missing or malformed argument. */
    public static final int USAGE = 2;
    /** A configuration file is missing or refused ({@code config error: FILE:LINE: reason}). */
    public static final int CONFIG = 3;
    /** A command that works on the gateway's state found none where the configuration puts it. */
    public static final int NO_STATE = 4;
}
