package org.smimegw.gateway.spool;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.MessagingException;

/**
 * Tells temporary local errors from the rest: the local disk is full or over quota ({@code ENOSPC},
 * {@code EDQUOT}), an I/O error of the local disk ({@code EIO}), no file descriptors left ({@code EMFILE},
 * {@code ENFILE}). They are not the mail's fault and go away when an operator acts, so the mail stays where it is
 * and is tried again later: never counted as a failure of that mail, never a reason to give it up. The JDK reports
 * them only as the text of the system's error message ({@code strerror}) in an {@link java.io.IOException}, so the
 * cause chain (including {@link MessagingException#getNextException()}) is searched for those texts.
 */
public final class LocalErrors {
    private static final String[] TEMPORARY = {
        "no space left on device", "disk quota exceeded", "input/output error", "too many open files"
    };

    private LocalErrors() {
    }

    /** True when {@code failure} or one of its causes is a temporary local error. */
    public static boolean isTemporary(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = next(t)) {
            if (t instanceof java.io.IOException && matches(t.getMessage())) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof java.io.IOException && matches(suppressed.getMessage())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException me && me.getNextException() != null) {
            return me.getNextException();
        }
        return t.getCause();
    }

    private static boolean matches(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        for (String text : TEMPORARY) {
            if (m.contains(text)) {
                return true;
            }
        }
        return false;
    }
}
