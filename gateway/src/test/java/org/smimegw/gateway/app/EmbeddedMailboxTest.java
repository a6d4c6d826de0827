package org.smimegw.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.Test;

import org.smimegw.gateway.config.EmbeddedMailboxConfig;

class EmbeddedMailboxTest {

    @Test
    void createsMailboxOnFirstDeliveryWithAddressAsLoginAndPassword() throws Exception {
        try (EmbeddedMailbox mailbox = new EmbeddedMailbox(new EmbeddedMailboxConfig(true, "127.0.0.1", 0, 0))) {
            mailbox.start();
            int smtpPort = mailbox.smtpAddress().getPort();
            int imapPort = mailbox.imapAddress().getPort();
            assertThat(smtpPort).isPositive();
            assertThat(imapPort).isPositive().isNotEqualTo(smtpPort);

            Transport.send(message(mailbox, "sender@example.net", "first delivery"));

            List<MimeMessage> inbox = ImapInbox.read(mailbox, "alice@example.com");
            assertThat(inbox).hasSize(1);
            assertThat(inbox.get(0).getSubject()).isEqualTo("first delivery");
            assertThat(inbox.get(0).getFrom()).containsExactly(new InternetAddress("sender@example.net"));
        }
    }

    /** Bounces (DSNs) come from the null sender: the tester must see them in the sender's mailbox. */
    @Test
    void acceptsMailFromTheNullSender() throws Exception {
        try (EmbeddedMailbox mailbox = new EmbeddedMailbox(new EmbeddedMailboxConfig(true, "127.0.0.1", 0, 0))) {
            mailbox.start();
            SMTPMessage bounce = message(mailbox, "MAILER-DAEMON@gw.test", "Undelivered Mail Returned to Sender");
            bounce.setEnvelopeFrom("<>");
            try (Transport transport = bounce.getSession().getTransport("smtp")) {
                transport.connect();
                transport.sendMessage(bounce, new Address[] {new InternetAddress("alice@example.com")});
            }

            List<MimeMessage> inbox = ImapInbox.read(mailbox, "alice@example.com");
            assertThat(inbox).hasSize(1);
            assertThat(inbox.get(0).getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
            assertThat(inbox.get(0).getHeader("Return-Path", null)).isEqualTo("<>");
        }
    }

    /** A text message to alice@example.com, sent (by Transport) to the mailbox's SMTP port. */
    private static SMTPMessage message(EmbeddedMailbox mailbox, String from, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(mailbox.smtpAddress().getPort()));
        props.put("mail.smtp.timeout", "10000");
        SMTPMessage message = new SMTPMessage(Session.getInstance(props));
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, "alice@example.com");
        message.setSubject(subject);
        message.setText("hello alice");
        message.saveChanges();
        return message;
    }
}
