package org.smimegw.certstore.validation;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import javax.net.ssl.SSLException;

/**
 * Fetches CRLs (GET) and OCSP answers (POST) over http with connect and read timeouts and a size limit.
 * A failure is an {@link IOException} whose message says what went wrong as the rest of a sentence that starts
 * with the endpoint, e.g. "refused the connection", "did not answer within 10 s", "answered HTTP 404" (the caller
 * names the endpoint: "OCSP responder http://ocsp.example/ refused the connection"). Safe for concurrent use.
 */
public final class HttpFetcher {

    /** CRLs of large CAs run to a few MB; anything far larger is refused. */
    static final int MAX_BYTES = 32 * 1024 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    public HttpFetcher(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public byte[] get(URI uri) throws IOException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
    }

    public byte[] post(URI uri, byte[] body, String contentType) throws IOException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private byte[] send(HttpRequest request) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailure("was not asked: interrupted", e);
        } catch (IOException e) {
            throw new FetchFailure(reason(e), e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new FetchFailure("answered HTTP " + response.statusCode(), null);
            }
            byte[] data = in.readNBytes(MAX_BYTES + 1);
            if (data.length > MAX_BYTES) {
                throw new FetchFailure("answered with more than " + MAX_BYTES + " bytes", null);
            }
            return data;
        } catch (HttpTimeoutException e) {
            throw new FetchFailure(reason(e), e);
        }
    }

    /**
     * The rest of a sentence that starts with the endpoint, for any failure of fetching from it or of reading what it
     * sent: "refused the connection", "sent an answer that cannot be read: ...".
     */
    static String describe(Exception e) {
        return e instanceof FetchFailure ? e.getMessage() : "sent an answer that cannot be read: " + detail(e);
    }

    /** The exchange itself failed; the message is what went wrong, without the endpoint. */
    static final class FetchFailure extends IOException {
        FetchFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a failed exchange means to a person (the JDK's exceptions often carry no message at all). */
    private String reason(IOException e) {
        return switch (e) {
            case HttpConnectTimeoutException t -> "did not accept the connection within " + seconds();
            case HttpTimeoutException t -> "did not answer within " + seconds();
            case ConnectException c -> "refused the connection";
            case UnknownHostException u -> "cannot be reached: unknown host";
            case SSLException s -> "failed the TLS handshake: " + detail(s);
            default -> "cannot be reached: " + detail(e);
        };
    }

    private String seconds() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static String detail(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
