package org.smimegw.console;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.session.SessionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.importer.ImportException;
import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.app.ConsoleFactory;
import org.smimegw.gateway.config.ConsoleConfig;
import org.smimegw.gateway.reload.ReloadException;
import org.smimegw.gateway.spool.SpoolException;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * The console's HTTP server (Javalin on Jetty): one connector on {@code console.bind}:{@code console.port}, TLS unless
 * on loopback; the session cookie; the access rule for every route (its {@link Role}, then the CSRF token on every
 * state-changing API request); security headers; errors as JSON {@code {"error": ...}}.
 */
final class ConsoleServer implements ConsoleFactory.Console {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final ConsoleConfig config;
    private final Path stateDir;
    private final String hostname;
    private final Clock clock;
    private final List<Routes> routes;
    private Javalin app;
    private boolean tls;

    ConsoleServer(ConsoleConfig config, Path stateDir, String hostname, Clock clock, List<Routes> routes) {
        this.config = config;
        this.stateDir = stateDir;
        this.hostname = hostname;
        this.clock = clock;
        this.routes = List.copyOf(routes);
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public synchronized void start() throws IOException {
        tls = config.usesTls();
        var ssl = tls ? ConsoleTls.create(config, stateDir, hostname, clock) : null;
        Javalin created = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.http.maxRequestSize = 10_000_000L;
            c.jsonMapper(new JavalinJackson(new com.fasterxml.jackson.databind.ObjectMapper(), false));
            c.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/console/static";
                s.location = Location.CLASSPATH;
            });
            c.jetty.modifyServletContextHandler(handler -> handler.setSessionHandler(sessions()));
            c.jetty.addConnector((server, http) -> connector(server, http, ssl));
        });
        created.before(this::securityHeaders);
        created.beforeMatched(this::guard);
        errors(created);
        for (Routes r : routes) {
            r.register(created);
        }
        created.start();
        app = created;
        LOG.info("console listening on {}", uri());
    }

    @Override
    public synchronized URI uri() {
        if (app == null) {
            throw new IllegalStateException("not started");
        }
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        if ("0.0.0.0".equals(host) || "[::]".equals(host)) {
            host = "127.0.0.1";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + app.port() + "/");
    }

    @Override
    public synchronized void stop() {
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return app != null;
    }

    private ServerConnector connector(Server server, HttpConfiguration http,
                                      org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl) {
        ServerConnector connector;
        if (ssl != null) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // a self-signed certificate names the host name, not the address used
            https.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(config.bind());
        connector.setPort(config.port());
        return connector;
    }

    private SessionHandler sessions() {
        SessionHandler sessions = new SessionHandler();
        sessions.setSessionCookie("SMIMEGW_CONSOLE");
        sessions.setHttpOnly(true);
        sessions.setSecureRequestOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.STRICT);
        sessions.setMaxInactiveInterval(config.sessionTimeoutMinutes() * 60);
        return sessions;
    }

    private void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                + "form-action 'self'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        if (tls) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /** Role first (401 without login, 403 with the wrong role), then the CSRF token on state-changing API calls. */
    private void guard(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty() && ctx.path().startsWith("/static/")) {
            return; // the pages' script and style sheet, the same for everyone
        }
        boolean api = ctx.path().startsWith("/api/");
        if (!roles.contains(Role.ANYONE)) {
            var principal = Sessions.principal(ctx);
            if (principal.isEmpty()) {
                if (api) {
                    throw new ApiException(401, "not logged in");
                }
                ctx.redirect("/login");
                ctx.skipRemainingHandlers();
                return;
            }
            if (!roles.contains(principal.get().role())) {
                if (api) {
                    throw new ApiException(403, principal.get().role() == Role.ADMIN
                            ? "this is the users' self-service API" : "administrators only");
                }
                ctx.redirect(principal.get().role() == Role.ADMIN ? "/" : "/me");
                ctx.skipRemainingHandlers();
                return;
            }
        }
        if (api && !SAFE.contains(ctx.method()) && !Sessions.csrfValid(ctx)) {
            throw new ApiException(403, "missing or wrong CSRF token (send the session's token in the "
                    + Sessions.CSRF_HEADER + " header; GET /api/session gives it)");
        }
    }

    private static void errors(Javalin app) {
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(ImportException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(NoSuchElementException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        app.exception(SpoolAdmin.NoSuchEntryException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        // the entry cannot take the operation as it is (an unreadable envelope, not deliverable): the message says why
        app.exception(SpoolException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        app.exception(DirectoryUnavailableException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
        app.exception(ReloadException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        app.exception(ConfigFileException.class, (e, ctx) -> ctx.status(422).json(Map.of("error", e.getMessage(),
                "file", e.file(), "line", e.line().orElse(0), "reason", e.reason())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.warn("console {} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); the gateway log has the details");
        });
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message == null ? "error" : message));
    }
}
