package org.smimegw.gateway.app;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMailUtil;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;

/**
 * The SMTP side of the {@link EmbeddedMailbox}: takes the transactions SubEthaSMTP received and hands each message to
 * GreenMail's SMTP manager, which stores it in every recipient's INBOX (creating the mailbox on first delivery) and
 * wakes whoever waits for incoming mail. GreenMail's own SMTP server cannot be used: it takes {@code MAIL FROM:<>}
 * (the reverse path of every bounce) as "no MAIL command yet" and refuses the RCPT that follows with 503, so bounces
 * could never reach a tester's mailbox.
 * <p>
 * The message is stored as received, with a {@code Return-Path:} line naming the envelope sender ({@code <>} for a
 * bounce) in front, as a final delivery does (RFC 5321 4.4).
 */
final class MailboxDelivery implements MessageHandlerFactory {
    private final SmtpManager greenMail;

    MailboxDelivery(SmtpManager greenMail) {
        this.greenMail = greenMail;
    }

    @Override
    public MessageHandler create(MessageContext context) {
        return new Transaction();
    }

    private final class Transaction implements MessageHandler {
        private String sender = "";
        private final List<MailAddress> recipients = new ArrayList<>();

        @Override
        public void from(String address) throws RejectException {
            sender = address.isEmpty() ? "" : mailbox(address, "5.1.7 bad sender address").getEmail();
        }

        @Override
        public void recipient(String address) throws RejectException {
            recipients.add(mailbox(address, "5.1.3 bad recipient address"));
        }

        @Override
        public String data(InputStream data) throws RejectException {
            SmtpState state = new SmtpState();
            if (!sender.isEmpty()) {
                state.getMessage().setReturnPath(new MailAddress(sender));
            }
            recipients.forEach(state.getMessage()::addRecipient);
            byte[] returnPath = ("Return-Path: <" + sender + ">\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                state.getMessage().setMimeMessage(
                        GreenMailUtil.newMimeMessage(new SequenceInputStream(new ByteArrayInputStream(returnPath), data)));
                greenMail.send(state);
            } catch (RuntimeException e) {
                throw new RejectException(451, "4.3.0 cannot store the message: " + e.getMessage());
            }
            return null;
        }

        @Override
        public void done() {
        }

        private static MailAddress mailbox(String address, String refusal) throws RejectException {
            try {
                new InternetAddress(address, true);
                return new MailAddress(address);
            } catch (AddressException | RuntimeException e) {
                throw new RejectException(553, refusal);
            }
        }
    }
}
