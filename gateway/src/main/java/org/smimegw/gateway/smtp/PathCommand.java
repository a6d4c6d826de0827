package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.smimegw.gateway.spool.EnvelopeParameters;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * What MAIL FROM: and RCPT TO: share: reading {@code <path> [parameters]} after the command's keyword and refusing,
 * in one reply each, a missing keyword (501 5.5.4), a path that is not a mailbox (501 5.1.7 / 5.1.3) and an unknown
 * or malformed parameter (555 5.5.4, RFC 5321 section 4.1.1.11).
 */
abstract class PathCommand extends BaseCommand {
    private final String keyword;
    private final SmtpReason syntax;
    private final SmtpReason badAddress;
    private final Function<Map<String, String>, Optional<EnvelopeParameters.Problem>> parameterCheck;
    protected final SmtpReplies replies;

    PathCommand(String name, String help, String argumentHelp, String keyword, SmtpReason syntax,
                SmtpReason badAddress, Function<Map<String, String>, Optional<EnvelopeParameters.Problem>> check,
                SmtpReplies replies) {
        super(name, help, argumentHelp);
        this.keyword = keyword;
        this.syntax = syntax;
        this.badAddress = badAddress;
        this.parameterCheck = check;
        this.replies = replies;
    }

    /**
     * The path and parameters of the command, or null after the refusal was sent.
     *
     * @param nullPathAllowed true for MAIL FROM:&lt;&gt;
     */
    protected MailPath path(String commandString, Session session, boolean nullPathAllowed) throws IOException {
        String arg = commandString.length() > 4 ? commandString.substring(4).strip() : "";
        if (!arg.toUpperCase(Locale.ROOT).startsWith(keyword)) {
            session.sendResponse(replies.replyLine(syntax));
            return null;
        }
        MailPath path;
        try {
            path = mailbox(MailPath.parse(arg.substring(keyword.length())));
        } catch (MailPath.InvalidException e) {
            session.sendResponse(e.inPath() ? replies.replyLine(badAddress)
                    : replies.replyLine(SmtpReason.PARAMETER_INVALID, e.keyword()));
            return null;
        }
        if (!(nullPathAllowed && path.address().isEmpty()) && !MailPath.isMailbox(path.address())) {
            session.sendResponse(replies.replyLine(badAddress));
            return null;
        }
        Optional<EnvelopeParameters.Problem> problem = parameterCheck.apply(path.parameters());
        if (problem.isPresent()) {
            session.sendResponse(replies.replyLine(problem.get().unsupported() ? SmtpReason.PARAMETER_NOT_SUPPORTED
                    : SmtpReason.PARAMETER_INVALID, problem.get().keyword()));
            return null;
        }
        return path;
    }

    /** The path with its address as the command takes it; the path itself by default. */
    protected MailPath mailbox(MailPath path) {
        return path;
    }
}
