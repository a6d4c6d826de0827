package org.smimegw.console;

import java.util.Locale;
import java.util.Map;

import io.javalin.Javalin;
import io.javalin.http.Context;

import org.smimegw.gateway.reload.ConfigFileEditor;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * Edits policy.yaml and mailetcontainer.xml ({@link ConfigFileEditor}): read, validate as a reload would (a refusal is
 * 422 with file, line and reason), apply (written, reloaded, written back when the reload is refused).
 */
final class ConfigApi implements Routes {
    record Text(String text) {
    }

    private final ConfigFileEditor editor;
    private final AuditLog audit;

    ConfigApi(ConfigFileEditor editor, AuditLog audit) {
        this.editor = editor;
        this.audit = audit;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/config/{kind}", ctx -> {
            ConfigFileEditor.Kind kind = kind(ctx);
            ctx.json(Map.of("kind", kind.id(), "file", editor.file(kind).toString(), "text", editor.read(kind)));
        }, Role.ADMIN);
        app.post("/api/config/{kind}/validate", ctx -> {
            ConfigFileEditor.Kind kind = kind(ctx);
            editor.validate(kind, text(ctx));
            ctx.json(Map.of("valid", true, "file", editor.file(kind).toString()));
        }, Role.ADMIN);
        app.put("/api/config/{kind}", this::apply, Role.ADMIN);
    }

    private void apply(Context ctx) throws Exception {
        ConfigFileEditor.Kind kind = kind(ctx);
        String target = editor.file(kind).toString();
        try {
            String summary = editor.apply(kind, text(ctx));
            audit.record(ctx, "edit " + kind.id(), target, "ok", summary);
            ctx.json(Map.of("status", "ok", "message", summary));
        } catch (ConfigFileException e) {
            audit.record(ctx, "edit " + kind.id(), target, "refused", e.getMessage());
            throw e;
        } catch (Exception e) {
            audit.record(ctx, "edit " + kind.id(), target, "failed", e.getMessage());
            throw e;
        }
    }

    private static ConfigFileEditor.Kind kind(Context ctx) {
        return switch (ctx.pathParam("kind").toLowerCase(Locale.ROOT)) {
            case "policy" -> ConfigFileEditor.Kind.POLICY;
            case "pipeline" -> ConfigFileEditor.Kind.PIPELINE;
            default -> throw new ApiException(404, "no configuration file '" + ctx.pathParam("kind")
                    + "' (policy or pipeline)");
        };
    }

    private static String text(Context ctx) {
        String text = ctx.bodyAsClass(Text.class).text();
        if (text == null) {
            throw ApiException.badRequest("give the file's text (JSON {\"text\": \"...\"})");
        }
        return text;
    }
}
