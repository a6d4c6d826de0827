package org.smimegw.console;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.javalin.Javalin;
import io.javalin.http.Context;

import org.smimegw.certstore.Certificates;

/**
 * {@code GET /api/session}, {@code POST /api/login}, {@code POST /api/login/certificate}, {@code POST /api/logout}.
 * Every login attempt is in the audit log.
 */
final class SessionApi implements Routes {
    record Login(String name, String password) {
    }

    private final Authenticator authenticator;
    private final AuditLog audit;

    SessionApi(Authenticator authenticator, AuditLog audit) {
        this.authenticator = authenticator;
        this.audit = audit;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/session", ctx -> ctx.json(session(ctx)), Role.ANYONE);
        app.post("/api/login", this::login, Role.ANYONE);
        app.post("/api/login/certificate", this::certificateLogin, Role.ANYONE);
        app.post("/api/logout", ctx -> {
            Sessions.principal(ctx).ifPresent(p -> audit.record(ctx, p, "logout", p.name(), "ok", ""));
            Sessions.logout(ctx);
            ctx.json(session(ctx));
        }, Role.ANYONE);
    }

    private void login(Context ctx) {
        Login login = ctx.bodyAsClass(Login.class);
        String name = login.name() == null ? "" : login.name().strip();
        Optional<Principal> principal = authenticator.password(name,
                login.password() == null ? new char[0] : login.password().toCharArray());
        if (principal.isEmpty()) {
            audit.record(ctx, null, "login", name, "refused", "wrong name or password");
            throw new ApiException(401, "wrong name or password");
        }
        Sessions.login(ctx, principal.get());
        audit.record(ctx, principal.get(), "login", principal.get().name(), "ok", "password");
        ctx.json(session(ctx));
    }

    private void certificateLogin(Context ctx) {
        X509Certificate certificate = clientCertificate(ctx);
        if (certificate == null) {
            throw new ApiException(401, "no client certificate was presented");
        }
        Optional<Principal> principal = authenticator.certificate(certificate);
        if (principal.isEmpty()) {
            audit.record(ctx, null, "login", Certificates.subject(certificate), "refused",
                    "client certificate names no administrator");
            throw new ApiException(401, "the client certificate names no administrator");
        }
        Sessions.login(ctx, principal.get());
        audit.record(ctx, principal.get(), "login", principal.get().name(), "ok",
                "client certificate " + Certificates.subject(certificate));
        ctx.json(session(ctx));
    }

    private Map<String, Object> session(Context ctx) {
        Map<String, Object> json = new LinkedHashMap<>();
        Optional<Principal> principal = Sessions.principal(ctx);
        json.put("authenticated", principal.isPresent());
        json.put("name", principal.map(Principal::name).orElse(null));
        json.put("role", principal.map(p -> p.role().name().toLowerCase(java.util.Locale.ROOT)).orElse(null));
        json.put("method", principal.map(Principal::method).orElse(null));
        json.put("csrfToken", Sessions.csrfToken(ctx));
        X509Certificate certificate = clientCertificate(ctx);
        json.put("certificateLogin", authenticator.certificatesAccepted());
        json.put("clientCertificate", certificate == null ? null : Certificates.subject(certificate));
        return json;
    }

    static X509Certificate clientCertificate(Context ctx) {
        Object chain = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        return chain instanceof X509Certificate[] certificates && certificates.length > 0 ? certificates[0] : null;
    }
}
