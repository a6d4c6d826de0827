package org.smimegw.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.javalin.Javalin;
import io.javalin.http.Context;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * The quarantine ({@link SpoolAdmin}, as {@code smime-gateway quarantine} uses it): list, show (envelope, why it is
 * held, the message's header fields, never its body), release and delete with a reason, both in the audit log.
 */
final class QuarantineApi implements Routes {
    private final SpoolAdmin spool;
    private final AuditLog audit;

    QuarantineApi(SpoolAdmin spool, AuditLog audit) {
        this.spool = spool;
        this.audit = audit;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/quarantine", ctx -> {
            List<SpoolViews.Entry> held = new ArrayList<>();
            for (SpoolAdmin.Item item : spool.list(SpoolArea.QUARANTINE)) {
                held.add(SpoolViews.entry(item));
            }
            ctx.json(held);
        }, Role.ADMIN);
        app.get("/api/quarantine/{id}", ctx -> ctx.json(SpoolViews.detail(spool,
                spool.find(SpoolArea.QUARANTINE, ctx.pathParam("id")))), Role.ADMIN);
        app.post("/api/quarantine/{id}/release", this::release, Role.ADMIN);
        app.delete("/api/quarantine/{id}", this::delete, Role.ADMIN);
    }

    private void release(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = Reasons.required(ctx);
        SpoolEntry released = spool.release(id, reason);
        audit.record(ctx, "quarantine release", id, "ok", reason);
        ctx.json(Map.of("status", "released", "id", released.id(),
                "message", "released " + released.id() + "; the pipeline runs it again"));
    }

    private void delete(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = Reasons.required(ctx);
        spool.delete(SpoolArea.QUARANTINE, id);
        audit.record(ctx, "quarantine delete", id, "ok", reason);
        ctx.json(Map.of("status", "deleted", "id", id, "message", "deleted " + id));
    }
}
