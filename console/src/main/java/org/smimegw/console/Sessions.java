package org.smimegw.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpSession;

/**
 * The console session (Jetty's, cookie {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS): who is
 * logged in and the session's CSRF token, which every state-changing API request must carry in the
 * {@value #CSRF_HEADER} header. A login gets a new session id and a new token.
 */
final class Sessions {
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String PRINCIPAL = "console.principal";
    private static final String CSRF = "console.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sessions() {
    }

    static Optional<Principal> principal(Context ctx) {
        HttpSession session = ctx.req().getSession(false);
        return session == null ? Optional.empty()
                : Optional.ofNullable((Principal) session.getAttribute(PRINCIPAL));
    }

    /** The session's CSRF token (a session is created when there is none). */
    static String csrfToken(Context ctx) {
        HttpSession session = ctx.req().getSession(true);
        String token = (String) session.getAttribute(CSRF);
        if (token == null) {
            token = newToken();
            session.setAttribute(CSRF, token);
        }
        return token;
    }

    /** Whether the request carries the session's CSRF token. */
    static boolean csrfValid(Context ctx) {
        HttpSession session = ctx.req().getSession(false);
        String expected = session == null ? null : (String) session.getAttribute(CSRF);
        String given = ctx.header(CSRF_HEADER);
        return expected != null && given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    static void login(Context ctx, Principal principal) {
        ctx.req().getSession(true);
        ctx.req().changeSessionId();
        HttpSession session = ctx.req().getSession(false);
        session.setAttribute(PRINCIPAL, principal);
        session.setAttribute(CSRF, newToken());
    }

    static void logout(Context ctx) {
        HttpSession session = ctx.req().getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
