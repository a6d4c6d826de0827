package org.smimegw.console;

import io.javalin.Javalin;

/** {@code GET /api/audit?limit=N}: the newest entries of the audit log (default 100, at most 1000). */
final class AuditApi implements Routes {
    private final AuditLog audit;

    AuditApi(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/audit", ctx -> {
            int limit = ctx.queryParamAsClass("limit", Integer.class).check(n -> n > 0 && n <= 1000, "1 to 1000")
                    .getOrDefault(100);
            ctx.json(audit.last(limit));
        }, Role.ADMIN);
    }
}
