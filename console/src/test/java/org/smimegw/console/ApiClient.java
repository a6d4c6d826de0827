package org.smimegw.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A browser-like API client: its own cookie jar (the session), the CSRF token it was last given. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, String contentType, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private final URI base;
    private final HttpClient http;
    String csrf;

    ApiClient(URI base) {
        this(base, null);
    }

    ApiClient(URI base, SSLContext tls) {
        this.base = base;
        HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** GET /api/session: a session and its CSRF token. */
    JsonNode session() throws Exception {
        JsonNode session = send("GET", "/api/session", null, false).json();
        csrf = session.get("csrfToken").asText();
        return session;
    }

    JsonNode login(String name, String password) throws Exception {
        session();
        Reply reply = send("POST", "/api/login", JSON.createObjectNode().put("name", name).put("password", password)
                .toString(), true);
        if (reply.status() != 200) {
            throw new AssertionError("login failed: " + reply);
        }
        csrf = reply.json().get("csrfToken").asText();
        return reply.json();
    }

    Reply get(String path) throws Exception {
        return send("GET", path, null, false);
    }

    /** With the CSRF token. */
    Reply send(String method, String path, String json) throws Exception {
        return send(method, path, json, true);
    }

    Reply send(String method, String path, String json, boolean withCsrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (withCsrf && csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return reply(http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** A multipart/form-data POST (the import form), with the CSRF token. */
    Reply upload(String path, String fileName, byte[] content, String... fields) throws Exception {
        String boundary = "----console-test-" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                    + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return reply(http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    private static Reply reply(HttpResponse<byte[]> response) {
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }
}
