package org.smimegw.gateway.smtp;

import java.io.IOException;

import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * EHLO and HELO. EHLO lists the extensions: PIPELINING, SIZE, 8BITMIME, DSN (RFC 3461: the parameters are carried to
 * the next hop and obeyed in the gateway's own notifications), ENHANCEDSTATUSCODES, STARTTLS (before TLS) and AUTH
 * PLAIN LOGIN (only after TLS, and only when users are configured).
 */
final class GreetingCommand extends BaseCommand {
    private final boolean extended;
    private final long maxMessageSize;
    private final boolean authAvailable;
    private final SessionTracker sessions;
    private final SmtpReplies replies;

    GreetingCommand(boolean extended, long maxMessageSize, boolean authAvailable, SessionTracker sessions,
                    SmtpReplies replies) {
        super(extended ? "EHLO" : "HELO", "Introduce yourself.", "<hostname>");
        this.extended = extended;
        this.maxMessageSize = maxMessageSize;
        this.authAvailable = authAvailable;
        this.sessions = sessions;
        this.replies = replies;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        String[] args = getArgs(commandString);
        if (args.length < 2 || args[1].isBlank()) {
            session.sendResponse(replies.replyLine(SmtpReason.HELO_SYNTAX));
            return;
        }
        session.resetMailTransaction();
        session.setHelo(args[1]);
        sessions.greeted(session, extended);
        String host = session.getServer().getHostName();
        if (!extended) {
            session.sendResponse("250 " + host);
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("250-").append(host).append("\r\n");
        b.append("250-PIPELINING\r\n");
        b.append("250-SIZE ").append(maxMessageSize).append("\r\n");
        b.append("250-8BITMIME\r\n");
        b.append("250-DSN\r\n");
        if (!session.isTLSStarted()) {
            b.append("250-STARTTLS\r\n");
        } else if (authAvailable) {
            b.append("250-AUTH PLAIN LOGIN\r\n");
        }
        b.append("250 ENHANCEDSTATUSCODES");
        session.sendResponse(b.toString());
    }
}
