package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.util.List;

import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/** RSET, NOOP, QUIT with enhanced status codes, and AUTH refused before STARTTLS. */
final class SimpleCommands {
    private SimpleCommands() {
    }

    static List<Command> create(SmtpReplies replies, Command libraryAuth, boolean authAvailable) {
        return List.of(
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
}
