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

            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", String.valueOf(smtpPort));
            Session session = Session.getInstance(props);
            MimeMessage message = new MimeMessage(session);
            message.setFrom("sender@example.net");
            message.setRecipients(Message.RecipientType.TO, "alice@example.com");
            message.setSubject("first delivery");
            message.setText("hello alice");
            Transport.send(message);

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
            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", String.valueOf(mailbox.smtpAddress().getPort()));
            props.put("mail.smtp.timeout", "10000");
            Session session = Session.getInstance(props);
            SMTPMessage bounce = new SMTPMessage(session);
            bounce.setFrom("MAILER-DAEMON@gw.test");
            bounce.setRecipients(Message.RecipientType.TO, "alice@example.com");
            bounce.setSubject("Undelivered Mail Returned to Sender");
            bounce.setText("a bounce");
            bounce.setEnvelopeFrom("<>");
            bounce.saveChanges();
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
                transport.sendMessage(bounce, new Address[] {new InternetAddress("alice@example.com")});
            }

            List<MimeMessage> inbox = ImapInbox.read(mailbox, "alice@example.com");
            assertThat(inbox).hasSize(1);
            assertThat(inbox.get(0).getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
            assertThat(inbox.get(0).getHeader("Return-Path", null)).isEqualTo("<>");
        }
    }
}
