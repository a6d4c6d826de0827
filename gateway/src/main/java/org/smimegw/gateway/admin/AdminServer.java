package org.smimegw.gateway.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.app.Reloadable;

/**
 * The admin HTTP endpoint on the JDK's built-in server: {@code GET /metrics} (Prometheus text format),
 * {@code GET /health/live} (200 while the process serves requests), {@code GET /health/ready} (JSON; 200 when the
 * gateway accepts and delivers mail, 503 "degraded" with the reasons), {@code GET /health} (JSON; 200 when every
 * component runs, else 503) and {@code POST /reload}. It has no authentication: bind it to loopback (the default) or
 * a management network only.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final InetSocketAddress requested;
    private final PrometheusMetrics metrics;
    private final HealthCheck health;
    private final Supplier<Readiness> readiness;
    private final Reloadable reloadable;
    private final ObjectMapper json = new ObjectMapper();
    private HttpServer server;
    private ExecutorService executor;

    /** Readiness is the components' health alone. */
    public AdminServer(InetSocketAddress address, PrometheusMetrics metrics, HealthCheck health,
                       Reloadable reloadable) {
        this(address, metrics, health, () -> new Readiness(Map.of("components",
                health.check().healthy() ? Readiness.OK : "down")), reloadable);
    }

    public AdminServer(InetSocketAddress address, PrometheusMetrics metrics, HealthCheck health,
                       Supplier<Readiness> readiness, Reloadable reloadable) {
        this.requested = address;
        this.metrics = metrics;
        this.health = health;
        this.readiness = readiness;
        this.reloadable = reloadable;
    }

    /** Binds and starts serving; the bound address is then {@link #address()}. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer http = HttpServer.create(requested, 16);
        http.createContext("/metrics", handler("GET", this::metrics));
        http.createContext("/health", handler("GET", exchange -> {
            if ("/health".equals(exchange.getRequestURI().getPath())) {
                health(exchange);
            } else {
                notFound(exchange);
            }
        }));
        http.createContext("/health/live", handler("GET", this::live));
        http.createContext("/health/ready", handler("GET", this::ready));
        http.createContext("/reload", handler("POST", this::reload));
        http.createContext("/", exchange -> {
            try (exchange) {
                notFound(exchange);
            }
        });
        executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("admin-http-", 0).daemon().factory());
        http.setExecutor(executor);
        http.start();
        server = http;
        log.info("admin endpoint listening on http://{}:{}", hostOf(address()), address().getPort());
    }

    /** The bound address (the real port when 0 was configured). */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream(8192);
        metrics.write(text);
        respond(exchange, 200, metrics.contentType(), text.toString(StandardCharsets.UTF_8));
    }

    private void health(HttpExchange exchange) throws IOException {
        HealthReport report;
        try {
            report = health.check();
        } catch (RuntimeException e) {
            log.warn("health check failed: {}", e.toString());
            report = new HealthReport(Map.of("health-check", false), Map.of());
        }
        respond(exchange, report.healthy() ? 200 : 503, "application/json",
                json.writeValueAsString(report.toJson()) + "\n");
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        respond(exchange, 404, "text/plain; charset=utf-8",
                "not found; try /metrics, /health/live, /health/ready, /health or POST /reload\n");
    }

    /** The process answers: alive (a hung or dead JVM does not answer at all). */
    private void live(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "application/json", json.writeValueAsString(Map.of("status", "alive")) + "\n");
    }

    private void ready(HttpExchange exchange) throws IOException {
        Readiness report;
        try {
            report = readiness.get();
        } catch (RuntimeException e) {
            log.warn("readiness check failed: {}", e.toString());
            report = new Readiness(Map.of("readiness-check", "failed: " + e));
        }
        respond(exchange, report.ready() ? 200 : 503, "application/json",
                json.writeValueAsString(report.toJson()) + "\n");
    }

    private void reload(HttpExchange exchange) throws IOException {
        try {
            String summary = reloadable.reload();
            log.debug("reloaded: {}", summary); // the reloader logs the one line per reload
            respond(exchange, 200, "application/json",
                    json.writeValueAsString(Map.of("status", "ok", "message", String.valueOf(summary))) + "\n");
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.debug("reload refused: {}", message);
            respond(exchange, 500, "application/json",
                    json.writeValueAsString(Map.of("status", "error", "message", message)) + "\n");
        }
    }

    private interface Action {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static HttpHandler handler(String method, Action action) {
        return exchange -> {
            try (exchange) {
                if (!method.equals(exchange.getRequestMethod())
                        && !("GET".equals(method) && "HEAD".equals(exchange.getRequestMethod()))) {
                    exchange.getResponseHeaders().set("Allow", method);
                    respond(exchange, 405, "text/plain; charset=utf-8", "use " + method + "\n");
                    return;
                }
                action.handle(exchange);
            } catch (IOException | RuntimeException e) {
                log.warn("admin request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                        e.toString());
            }
        };
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String hostOf(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
