package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.util.Locale;

import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/** MAIL FROM:&lt;address&gt; [parameters]: keeps the parameters for the envelope, checks a declared SIZE. */
final class MailFromCommand extends BaseCommand {
    private final long maxMessageSize;
    private final SmtpReplies replies;

    MailFromCommand(long maxMessageSize, SmtpReplies replies) {
        super("MAIL", "Specifies the sender.", "FROM: <sender> [ <parameters> ]");
        this.maxMessageSize = maxMessageSize;
        this.replies = replies;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        if (session.isMailTransactionInProgress()) {
            session.sendResponse(replies.replyLine(SmtpReason.NESTED_MAIL));
            return;
        }
        String arg = commandString.length() > 4 ? commandString.substring(4).strip() : "";
        MailPath path = arg.toUpperCase(Locale.ROOT).startsWith("FROM:") ? MailPath.parse(arg.substring(5)) : null;
        if (path == null) {
            session.sendResponse(replies.replyLine(SmtpReason.MAIL_SYNTAX));
            return;
        }
        if (!path.address().isEmpty() && !MailPath.isPlausibleMailbox(path.address())) {
            session.sendResponse(replies.replyLine(SmtpReason.BAD_SENDER_ADDRESS));
            return;
        }
        String size = path.parameters().get("SIZE");
        if (size != null) {
            if (!size.matches("[0-9]{1,18}")) {
                session.sendResponse(replies.replyLine(SmtpReason.MAIL_SYNTAX));
                return;
            }
            if (Long.parseLong(size) > maxMessageSize) {
                session.sendResponse(replies.replyLine(SmtpReason.MESSAGE_TOO_BIG));
                return;
            }
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
