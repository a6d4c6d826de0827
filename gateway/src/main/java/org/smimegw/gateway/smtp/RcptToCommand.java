package org.smimegw.gateway.smtp;

import java.io.IOException;

import org.smimegw.gateway.spool.EnvelopeParameters;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/**
 * RCPT TO:&lt;address&gt; [parameters]: syntax here; recipient limit, relay rights and policy checks in the message
 * handler, which keeps the parameters (NOTIFY, ORCPT) for the envelope. {@code <postmaster>} without a domain (which
 * RFC 5321 section 4.1.1.3 requires a server to take) is the postmaster of the gateway's host name.
 */
final class RcptToCommand extends PathCommand {
    private static final String POSTMASTER = "postmaster";
    private final String hostname;

    RcptToCommand(String hostname, SmtpReplies replies) {
        super("RCPT", "Specifies the recipient. Can be used any number of times.", "TO: <recipient> [ <parameters> ]",
                "TO:", SmtpReason.RCPT_SYNTAX, SmtpReason.BAD_RECIPIENT_ADDRESS, EnvelopeParameters::checkRcpt,
                replies);
        this.hostname = hostname;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        if (!session.isMailTransactionInProgress()) {
            session.sendResponse(replies.replyLine(SmtpReason.NEED_MAIL));
            return;
        }
        MailPath path = path(commandString, session, false);
        if (path == null) {
            return;
        }
        try {
            ((SpoolingMessageHandler) session.getMessageHandler()).rcptTo(path.address(), path.parameters());
        } catch (RejectException e) {
            session.sendResponse(e.getErrorResponse());
            return;
        }
        session.addRecipient(path.address());
        session.sendResponse(SmtpReplies.ok("2.1.5"));
    }

    @Override
    protected MailPath mailbox(MailPath path) {
        return path.address().equalsIgnoreCase(POSTMASTER)
                ? new MailPath(POSTMASTER + "@" + hostname, path.parameters()) : path;
    }
}
