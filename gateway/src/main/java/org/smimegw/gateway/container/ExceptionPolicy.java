package org.smimegw.gateway.container;

import java.util.Locale;

import org.apache.mailet.Mail;

/**
 * What happens when a mailet or matcher throws: {@code onMailetException} / {@code onMatchException}.
 *
 * @param kind      the reaction
 * @param processor the processor the mail moves to, for {@link Kind#PROCESSOR} (also {@code error})
 */
record ExceptionPolicy(Kind kind, String processor) {

    enum Kind {
        /** Move the mail to {@link #processor} with the error recorded (default: the error processor). */
        PROCESSOR,
        /** Log and go on as if nothing happened (for a matcher: as if it matched nobody). */
        IGNORE,
        /** Abort the run: the pipeline runner counts a failure and retries later. */
        PROPAGATE,
        /** Matchers only: treat as matching no recipient. */
        NOMATCH,
        /** Matchers only: treat as matching every recipient. */
        MATCHALL
    }

    static final ExceptionPolicy ERROR = new ExceptionPolicy(Kind.PROCESSOR, Mail.ERROR);

    /** Parses an attribute value; null or empty means {@code error}. Returns null for values not allowed here. */
    static ExceptionPolicy parse(String value, boolean matcher) {
        if (value == null || value.isBlank()) {
            return ERROR;
        }
        String v = value.trim();
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "error" -> ERROR;
            case "ignore" -> new ExceptionPolicy(Kind.IGNORE, null);
            case "propagate" -> new ExceptionPolicy(Kind.PROPAGATE, null);
            case "nomatch" -> matcher ? new ExceptionPolicy(Kind.NOMATCH, null) : null;
            case "matchall" -> matcher ? new ExceptionPolicy(Kind.MATCHALL, null) : null;
            default -> new ExceptionPolicy(Kind.PROCESSOR, v);
        };
    }
}
