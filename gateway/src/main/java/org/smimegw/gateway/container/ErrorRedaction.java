package org.smimegw.gateway.container;

import java.util.Set;

/**
 * Exceptions as the container logs and records them ({@code pipeline.lastError}), without the message text that a
 * MIME parser quotes from the mail: Jakarta Mail's {@code ParseException} and {@code AddressException} put the
 * header that did not parse into their message, Angus Mail's {@code DecodingException} the last characters of a body
 * it could not decode. Such a message is replaced by what failed, in fixed words; every other exception (the
 * gateway's own, a mailet's, the spool's) keeps its message, which says what an administrator needs to know.
 */
final class ErrorRedaction {

    /** Exception classes whose message quotes message content, with what their failure means. */
    private static final Set<String> QUOTING = Set.of("jakarta.mail.internet.ParseException",
            "jakarta.mail.internet.AddressException", "org.eclipse.angus.mail.util.DecodingException",
            "com.sun.mail.util.DecodingException");

    private ErrorRedaction() {
    }

    /**
     * {@code e} itself when nothing in its cause chain quotes the mail; otherwise a copy of the chain (same types
     * named, same stack traces) whose quoting messages are replaced, and with the quoted text cut out of any other
     * message in the chain that repeats it (a wrapper built from {@code cause.toString()}).
     */
    static Throwable redact(Throwable e) {
        Set<String> quoted = new java.util.LinkedHashSet<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isQuoting(t) && t.getMessage() != null && !t.getMessage().isEmpty()) {
                quoted.add(t.getMessage());
            }
        }
        return quoted.isEmpty() && !quotes(e) ? e : copy(e, quoted);
    }

    private static Throwable copy(Throwable e, Set<String> quoted) {
        Throwable cause = e.getCause() == null || e.getCause() == e ? null : copy(e.getCause(), quoted);
        String message;
        if (isQuoting(e)) {
            message = "part of the message does not parse (its text is not logged)";
        } else {
            message = e.getMessage();
            for (String q : quoted) {
                message = message == null ? null : message.replace(q, "(text not logged)");
            }
        }
        Redacted copy = new Redacted(e.getClass().getName() + (message == null ? "" : ": " + message), cause);
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** The message to record for {@code e}: its own, redacted, or its type when it has none. */
    static String message(Throwable e) {
        Throwable r = redact(e);
        String m = r.getMessage();
        return m == null ? e.getClass().getName() : m;
    }

    private static boolean quotes(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isQuoting(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isQuoting(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (QUOTING.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Stands in for an exception whose chain quoted the mail; its message starts with the original type. */
    static final class Redacted extends Exception {
        Redacted(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
