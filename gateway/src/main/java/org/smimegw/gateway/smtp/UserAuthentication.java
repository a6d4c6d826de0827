package org.smimegw.gateway.smtp;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;

/**
 * AUTH PLAIN and LOGIN (SubEthaSMTP's mechanisms) against the configured users' PBKDF2 hashes; the library's
 * refusals are reworded by {@link SmtpReplies} (535 5.7.8). Unknown users cost as much as wrong passwords.
 */
final class UserAuthentication implements AuthenticationHandlerFactory {
    private static final Logger log = LoggerFactory.getLogger(UserAuthentication.class);

    private final EasyAuthenticationHandlerFactory delegate;
    private final SmtpReplies replies;

    UserAuthentication(List<SmtpConfig.User> users, PasswordHasher hasher, SmtpReplies replies) {
        this.replies = replies;
        Map<String, String> hashes = new HashMap<>();
        int maxIterations = 1000;
        for (SmtpConfig.User u : users) {
            hashes.put(u.name(), u.passwordHash());
            maxIterations = Math.max(maxIterations, Integer.parseInt(u.passwordHash().split(":")[1]));
        }
        String dummy = PasswordHasher.PREFIX + ":" + maxIterations + ":"
                + Base64.getEncoder().encodeToString(new byte[16]) + ":" + Base64.getEncoder().encodeToString(new byte[32]);
        this.delegate = new EasyAuthenticationHandlerFactory((user, password, context) -> {
            String hash = hashes.get(user);
            boolean ok = hasher.verify(password.toCharArray(), hash != null ? hash : dummy) && hash != null;
            if (!ok) {
                log.info("AUTH failed for user '{}' from {}", printable(user), context.getRemoteAddress());
                throw new LoginFailedException();
            }
            log.info("AUTH succeeded for user '{}' from {}", printable(user), context.getRemoteAddress());
        });
    }

    @Override
    public List<String> getAuthenticationMechanisms() {
        return delegate.getAuthenticationMechanisms();
    }

    @Override
    public AuthenticationHandler create() {
        AuthenticationHandler handler = delegate.create();
        return new AuthenticationHandler() {
            @Override
            public Optional<String> auth(String clientInput, MessageContext context) throws RejectException {
                try {
                    return handler.auth(clientInput, context);
                } catch (RejectException e) {
                    throw replies.fromAuthLibrary(e);
                }
            }

            @Override
            public Object getIdentity() {
                return handler.getIdentity();
            }
        };
    }

    private static String printable(String s) {
        String t = s == null ? "" : s.replaceAll("[^\\x21-\\x7e]", "?");
        return t.length() > 64 ? t.substring(0, 64) : t;
    }
}
