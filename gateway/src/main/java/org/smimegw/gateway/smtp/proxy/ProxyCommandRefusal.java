package org.smimegw.gateway.smtp.proxy;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.gateway.smtp.SmtpReason;
import org.smimegw.gateway.smtp.SmtpReplies;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * A {@code PROXY ...} line after the greeting: a version 1 header from a client that is not one of
 * {@code smtp.proxyProtocol.loadBalancers} (a balancer's header is read before the greeting by
 * {@link ProxyProtocolGate}), or a second header. Refused with {@code 554 5.7.1} and the connection closed, so a
 * client cannot choose the address it is judged by.
 */
public final class ProxyCommandRefusal extends BaseCommand {
    private static final Logger log = LoggerFactory.getLogger(ProxyCommandRefusal.class);

    private final SmtpReplies replies;

    public ProxyCommandRefusal(SmtpReplies replies) {
        super("PROXY", "PROXY protocol header: only from the configured load balancers, before the greeting");
        this.replies = replies;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        log.warn("refused a PROXY protocol header from {}: not a configured load balancer (or a second header)",
                session.getRealRemoteAddress().getAddress().getHostAddress());
        session.sendResponse(replies.replyLine(SmtpReason.PROXY_NOT_ALLOWED));
        session.quit();
    }
}
