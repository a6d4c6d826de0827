package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.util.List;

import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/**
 * RSET, NOOP, QUIT with enhanced status codes; AUTH refused before STARTTLS; DATA's early refusals with enhanced
 * codes (then {@code dataTransfer}: {@link DataCommand} behind the TLS/AUTH requirement wrappers); HELP with {@code 214 2.0.0};
 * VRFY, EXPN and BDAT (CHUNKING is not offered) not implemented.
 */
final class SimpleCommands {
    private SimpleCommands() {
    }

    static List<Command> create(SmtpReplies replies, Command libraryAuth, Command dataTransfer, boolean authAvailable) {
        return List.of(
                new BaseCommand("DATA", "Following text is collected as the message.") {
                    @Override
                    public void execute(String commandString, Session session)
                            throws IOException, org.subethamail.smtp.DropConnectionException {
                        if (!session.isMailTransactionInProgress()) {
                            session.sendResponse(replies.replyLine(SmtpReason.NEED_MAIL));
                        } else if (session.getRecipientCount() == 0) {
                            session.sendResponse(replies.replyLine(SmtpReason.NEED_RCPT));
                        } else {
                            dataTransfer.execute(commandString, session);
                        }
                    }
                },
                notImplemented("VRFY", replies),
                notImplemented("EXPN", replies),
                notImplemented("BDAT", replies),
                new BaseCommand("RSET", "Resets the system.") {
                    @Override
                    public void execute(String commandString, Session session) throws IOException {
                        session.resetMailTransaction();
                        session.sendResponse(SmtpReplies.ok("2.0.0"));
                    }
                },
                new BaseCommand("NOOP", "Does nothing.") {
                    @Override
                    public void execute(String commandString, Session session) throws IOException {
                        session.sendResponse(SmtpReplies.ok("2.0.0"));
                    }
                },
                new BaseCommand("HELP", "Lists the commands.", "[ <topic> ]") {
                    @Override
                    public void execute(String commandString, Session session) throws IOException {
                        session.sendResponse(SmtpReplies.help(authAvailable));
                    }
                },
                new BaseCommand("QUIT", "Exit the SMTP session.") {
                    @Override
                    public void execute(String commandString, Session session) throws IOException {
                        session.sendResponse("221 2.0.0 Bye");
                        session.quit();
                    }
                },
                new BaseCommand("AUTH", "Authentication service (after STARTTLS)", "AUTH <mechanism> [initial-response]") {
                    @Override
                    public void execute(String commandString, Session session)
                            throws IOException, org.subethamail.smtp.DropConnectionException {
                        if (authAvailable && !session.isTLSStarted()) {
                            session.sendResponse(replies.replyLine(SmtpReason.AUTH_NEEDS_TLS));
                            return;
                        }
                        libraryAuth.execute(commandString, session);
                    }
                });
    }

    private static Command notImplemented(String verb, SmtpReplies replies) {
        return new BaseCommand(verb, "Not implemented.") {
            @Override
            public void execute(String commandString, Session session) throws IOException {
                session.sendResponse(replies.replyLine(SmtpReason.NOT_IMPLEMENTED));
            }
        };
    }
}
