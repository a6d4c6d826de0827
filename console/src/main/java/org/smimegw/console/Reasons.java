package org.smimegw.console;

import io.javalin.http.Context;

/** The administrator's reason for a change, from a JSON body {@code {"reason": "..."}}; it goes to the audit log. */
final class Reasons {
    record Body(String reason) {
    }

    private Reasons() {
    }

    /** The reason, stripped; {@code null} when the body has none. */
    static String optional(Context ctx) {
        String body = ctx.body();
        String reason = body.isBlank() ? null : ctx.bodyAsClass(Body.class).reason();
        return reason == null || reason.isBlank() ? null : reason.strip();
    }

    /** The reason, or 400 when there is none (quarantine release and delete always say why). */
    static String required(Context ctx) {
        String reason = optional(ctx);
        if (reason == null) {
            throw ApiException.badRequest("a reason is required (JSON {\"reason\": \"...\"})");
        }
        return reason;
    }
}
