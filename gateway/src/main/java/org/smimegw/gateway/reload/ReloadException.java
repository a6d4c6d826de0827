package org.smimegw.gateway.reload;

/** A reload that was refused; the message names the file, line and reason. The running configuration stays. */
public final class ReloadException extends Exception {
    public ReloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
