package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.util.Locale;

import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/** RCPT TO:&lt;address&gt;: syntax here; recipient limit, relay rights and policy checks in the message handler. */
final class RcptToCommand extends BaseCommand {
    private final SmtpReplies replies;

    RcptToCommand(SmtpReplies replies) {
        super("RCPT", "Specifies the recipient. Can be used any number of times.", "TO: <recipient> [ <parameters> ]");
        this.replies = replies;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        if (!session.isMailTransactionInProgress()) {
            session.sendResponse(replies.replyLine(SmtpReason.NEED_MAIL));
            return;
        }
        String arg = commandString.length() > 4 ? commandString.substring(4).strip() : "";
        MailPath path = arg.toUpperCase(Locale.ROOT).startsWith("TO:") ? MailPath.parse(arg.substring(3)) : null;
        if (path == null) {
            session.sendResponse(replies.replyLine(SmtpReason.RCPT_SYNTAX));
            return;
        }
        if (!MailPath.isPlausibleMailbox(path.address())) {
            session.sendResponse(replies.replyLine(SmtpReason.BAD_RECIPIENT_ADDRESS));
            return;
        }
        try {
            session.getMessageHandler().recipient(path.address());
        } catch (RejectException e) {
            session.sendResponse(e.getErrorResponse());
            return;
        }
        session.addRecipient(path.address());
        session.sendResponse(SmtpReplies.ok("2.1.5"));
    }
}
