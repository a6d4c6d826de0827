package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admits at most {@code maxConnections} concurrent sessions (others get {@code 421 4.7.0}) and remembers, per
 * session, whether the client greeted with EHLO (for the "with ESMTP/SMTP" of the Received header). An admitted
 * session talks through a {@link ReplyMappingSocket}, so replies SubEthaSMTP words itself get enhanced status codes
 * and the replies to a pipelined group are written together.
 */
final class SessionTracker implements SessionHandler {
    private final int maxConnections;
    private final SmtpReplies replies;
    private final Map<Session, Boolean> sessions = new HashMap<>();

    SessionTracker(int maxConnections, SmtpReplies replies) {
        this.maxConnections = maxConnections;
        this.replies = replies;
    }

    @Override
    public SessionAcceptance accept(Session session) {
        synchronized (sessions) {
            if (sessions.size() >= maxConnections) {
                String line = replies.replyLine(SmtpReason.TOO_MANY_CONNECTIONS);
                return SessionAcceptance.failure(SmtpReason.TOO_MANY_CONNECTIONS.code(), line.substring(4));
            }
            sessions.put(session, Boolean.FALSE);
        }
        try {
            session.getSocket().setTcpNoDelay(true);
            session.setSocket(new ReplyMappingSocket(session.getSocket(), replies::fromLibrary,
                    () -> session.getRawInput().available()));
        } catch (IOException e) {
            // the connection is already broken: the session ends on its first read
        }
        return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {
        synchronized (sessions) {
            sessions.remove(session);
        }
    }

    void greeted(Session session, boolean extended) {
        synchronized (sessions) {
            sessions.computeIfPresent(session, (s, old) -> extended);
        }
    }

    boolean usedEhlo(Session session) {
        synchronized (sessions) {
            return sessions.getOrDefault(session, Boolean.FALSE);
        }
    }

    int active() {
        synchronized (sessions) {
            return sessions.size();
        }
    }
}
