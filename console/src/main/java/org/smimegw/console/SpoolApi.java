package org.smimegw.console;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.javalin.Javalin;
import io.javalin.http.Context;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * The queue: every area of the spool ({@link SpoolAdmin}, the operations of {@code smime-gateway spool}): search by
 * area, address, queue id and age; show one entry (envelope, delivery schedule, header fields, never the body);
 * requeue, release (from quarantine, with a reason), bounce and delete, each in the audit log.
 */
final class SpoolApi implements Routes {
    private final SpoolAdmin spool;
    private final AuditLog audit;

    SpoolApi(SpoolAdmin spool, AuditLog audit) {
        this.spool = spool;
        this.audit = audit;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/spool", this::search, Role.ADMIN);
        app.get("/api/spool/{id}", ctx -> ctx.json(SpoolViews.detail(spool, spool.find(ctx.pathParam("id")))),
                Role.ADMIN);
        app.post("/api/spool/{id}/requeue", this::requeue, Role.ADMIN);
        app.post("/api/spool/{id}/release", this::release, Role.ADMIN);
        app.post("/api/spool/{id}/bounce", this::bounce, Role.ADMIN);
        app.delete("/api/spool/{id}", this::delete, Role.ADMIN);
    }

    /** {@code ?area=outgoing,error&address=..&id=..&olderThan=30m&newerThan=2d}; every parameter optional. */
    private void search(Context ctx) throws Exception {
        SpoolAdmin.Query query = new SpoolAdmin.Query(areas(ctx.queryParam("area")), ctx.queryParam("address"),
                ctx.queryParam("id"), SpoolAdmin.Query.age(ctx.queryParam("olderThan")),
                SpoolAdmin.Query.age(ctx.queryParam("newerThan")));
        List<SpoolViews.Entry> entries = new ArrayList<>();
        for (SpoolAdmin.Item item : spool.search(query)) {
            entries.add(SpoolViews.entry(item));
        }
        ctx.json(entries);
    }

    private void requeue(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = Reasons.optional(ctx);
        SpoolEntry entry = spool.requeue(id);
        audit.record(ctx, "spool requeue", id, "ok", reason);
        ctx.json(Map.of("status", "requeued", "id", entry.id(),
                "message", "requeued " + entry.id() + "; the pipeline runs it again"));
    }

    /** As {@code POST /api/quarantine/{id}/release}: a reason is required. */
    private void release(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = Reasons.required(ctx);
        SpoolEntry entry = spool.release(id, reason);
        audit.record(ctx, "spool release", id, "ok", reason);
        ctx.json(Map.of("status", "released", "id", entry.id(),
                "message", "released " + entry.id() + "; the pipeline runs it again"));
    }

    private void bounce(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = Reasons.optional(ctx);
        SpoolAdmin.Bounced bounced = spool.bounce(id);
        audit.record(ctx, "spool bounce", id, "ok", reason);
        ctx.json(Map.of("status", "bounced", "id", id,
                "report", bounced.report().map(SpoolEntry::id).orElse(""),
                "message", bounced.summary()));
    }

    private void delete(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = Reasons.optional(ctx);
        SpoolAdmin.Item item = spool.delete(id);
        audit.record(ctx, "spool delete", id, "ok", reason);
        ctx.json(Map.of("status", "deleted", "id", id,
                "message", "deleted " + id + " from " + item.area().directoryName()));
    }

    private static Set<SpoolArea> areas(String names) {
        Set<SpoolArea> areas = EnumSet.noneOf(SpoolArea.class);
        if (names != null && !names.isBlank()) {
            for (String name : names.split(",")) {
                areas.add(SpoolArea.named(name).orElseThrow(() -> new IllegalArgumentException(
                        "unknown spool area '" + name.strip() + "' (" + SpoolArea.names() + ")")));
            }
        }
        return areas;
    }
}
