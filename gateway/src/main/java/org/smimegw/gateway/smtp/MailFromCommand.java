package org.smimegw.gateway.smtp;

import java.io.IOException;

import org.smimegw.gateway.spool.EnvelopeParameters;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/** MAIL FROM:&lt;address&gt; [parameters]: keeps the parameters for the envelope, checks a declared SIZE. */
final class MailFromCommand extends PathCommand {
    private final long maxMessageSize;

    MailFromCommand(long maxMessageSize, SmtpReplies replies) {
        super("MAIL", "Specifies the sender.", "FROM: <sender> [ <parameters> ]", "FROM:", SmtpReason.MAIL_SYNTAX,
                SmtpReason.BAD_SENDER_ADDRESS, EnvelopeParameters::checkMail, replies);
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        if (session.isMailTransactionInProgress()) {
            session.sendResponse(replies.replyLine(SmtpReason.NESTED_MAIL));
            return;
        }
        MailPath path = path(commandString, session, true);
        if (path == null) {
            return;
        }
        String size = path.parameters().get(EnvelopeParameters.SIZE);
        if (size != null && Long.parseLong(size) > maxMessageSize) {
            session.sendResponse(replies.replyLine(SmtpReason.MESSAGE_TOO_BIG));
            return;
        }
        session.startMailTransaction();
        try {
            ((SpoolingMessageHandler) session.getMessageHandler()).mailFrom(path.address(), path.parameters());
        } catch (RejectException e) {
            session.resetMailTransaction();
            session.sendResponse(e.getErrorResponse());
            return;
        }
        session.sendResponse(SmtpReplies.ok("2.1.0"));
    }
}
