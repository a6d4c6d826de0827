package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * STARTTLS (RFC 3207) with enhanced status codes: {@code 220 2.0.0} then the handshake; {@code 454 4.7.0} when TLS
 * cannot be started or is already active; {@code 501 5.5.4} with parameters. After the handshake the session
 * forgets HELO and the transaction and talks through a {@link ReplyMappingSocket} over the TLS socket; a failed
 * handshake closes the connection (the client expects TLS, a plain reply would not reach it).
 */
final class StartTlsCommand extends BaseCommand {
    private static final Logger log = LoggerFactory.getLogger(StartTlsCommand.class);

    private final SSLContext tls;
    private final SmtpReplies replies;

    StartTlsCommand(SSLContext tls, SmtpReplies replies) {
        super("STARTTLS", "Starts TLS on this connection.");
        this.tls = tls;
        this.replies = replies;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        if (!commandString.trim().toUpperCase(Locale.ROOT).equals("STARTTLS")) {
            session.sendResponse(replies.replyLine(SmtpReason.STARTTLS_SYNTAX));
            return;
        }
        if (session.isTLSStarted()) {
            session.sendResponse(replies.replyLine(SmtpReason.TLS_ALREADY_ACTIVE));
            return;
        }
        Socket plain = session.getSocket() instanceof ReplyMappingSocket m ? m.delegate() : session.getSocket();
        SSLSocket ssl;
        try {
            InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
            ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, remote.getHostString(), plain.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        } catch (IOException | RuntimeException e) {
            log.warn("cannot start TLS with {}: {}", session.getRemoteAddress(), e.toString());
            session.sendResponse(replies.replyLine(SmtpReason.TLS_NOT_AVAILABLE));
            return;
        }
        session.sendResponse(SmtpReplies.readyToStartTls());
        try {
            // the 220 goes out now even if the client sent more (RFC 3207: that input is discarded with the plain stream)
            ReplyMappingSocket.sendHeldReplies(session.getSocket());
            ssl.startHandshake();
        } catch (IOException e) {
            log.info("TLS handshake with {} failed: {}", session.getRemoteAddress(), e.getMessage());
            session.quit();
            ssl.close();
            return;
        }
        session.setSocket(new ReplyMappingSocket(ssl, replies::fromLibrary, () -> session.getRawInput().available()));
        session.resetSmtpProtocol();
        session.setTlsStarted(true);
    }
}
