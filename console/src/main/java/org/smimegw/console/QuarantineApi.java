package org.smimegw.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;

import org.smimegw.gateway.cli.quarantine.QuarantineArea;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * The quarantine ({@link QuarantineArea}, as {@code smime-gateway quarantine} uses it): list, show (envelope, why it is
 * held, the message's header fields, never its body), release and delete with a reason, both in the audit log.
 */
final class QuarantineApi implements Routes {
    record Reason(String reason) {
    }

    record Held(String id, String received, String sender, List<String> recipients, String reason, long size) {
    }

    record HeaderField(String name, String value) {
    }

    record Detail(Held mail, String client, String helo, String authenticatedUser, Map<String, String> attributes,
                  List<HeaderField> headers) {
    }

    private final QuarantineArea quarantine;
    private final AuditLog audit;

    QuarantineApi(QuarantineArea quarantine, AuditLog audit) {
        this.quarantine = quarantine;
        this.audit = audit;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/quarantine", ctx -> {
            List<Held> held = new ArrayList<>();
            for (SpoolEntry entry : quarantine.list()) {
                held.add(held(entry));
            }
            ctx.json(held);
        }, Role.ADMIN);
        app.get("/api/quarantine/{id}", ctx -> ctx.json(detail(quarantine.find(ctx.pathParam("id")))), Role.ADMIN);
        app.post("/api/quarantine/{id}/release", this::release, Role.ADMIN);
        app.delete("/api/quarantine/{id}", this::delete, Role.ADMIN);
    }

    private void release(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = reason(ctx);
        SpoolEntry released = quarantine.release(id, reason);
        audit.record(ctx, "quarantine release", id, "ok", reason);
        ctx.json(Map.of("status", "released", "id", released.id(),
                "message", "released " + released.id() + "; the pipeline runs it again"));
    }

    private void delete(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        String reason = reason(ctx);
        quarantine.delete(id);
        audit.record(ctx, "quarantine delete", id, "ok", reason);
        ctx.json(Map.of("status", "deleted", "id", id, "message", "deleted " + id));
    }

    /** Every release and delete says why. */
    private static String reason(Context ctx) {
        String body = ctx.body();
        String reason = body.isBlank() ? null : ctx.bodyAsClass(Reason.class).reason();
        if (reason == null || reason.isBlank()) {
            throw ApiException.badRequest("a reason is required (JSON {\"reason\": \"...\"})");
        }
        return reason.strip();
    }

    private static Held held(SpoolEntry entry) throws IOException {
        Envelope e = entry.envelope();
        return new Held(entry.id(), e.receivedAt() == null ? null : e.receivedAt().toString(),
                e.hasNullSender() ? "<>" : e.sender(), e.recipients(), QuarantineArea.reason(e),
                Files.size(entry.contentFile()));
    }

    private static Detail detail(SpoolEntry entry) throws IOException, MessagingException {
        Envelope e = entry.envelope();
        List<HeaderField> headers = new ArrayList<>();
        try (InputStream in = Files.newInputStream(entry.contentFile())) {
            // the header section only: InternetHeaders stops at the empty line, the body is never read
            for (Header h : Collections.list(new InternetHeaders(in).getAllHeaders())) {
                headers.add(new HeaderField(h.getName(), h.getValue() == null ? "" : h.getValue().strip()));
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>(new TreeMap<>(e.attributes()));
        return new Detail(held(entry), e.clientAddress(), e.clientHelo(), e.authenticatedUser(), attributes, headers);
    }
}
