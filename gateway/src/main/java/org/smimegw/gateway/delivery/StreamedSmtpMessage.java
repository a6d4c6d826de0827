package org.smimegw.gateway.delivery;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * A message the pipeline already holds, as the SMTP transport needs it: an {@link SMTPMessage} (per-message envelope
 * sender and MAIL extension) whose content is written by the original message, streamed from its file and without
 * parsing or copying anything. Only what {@code SMTPTransport.sendMessage} reads is provided (From and the
 * serialization; no subject); it is not a general-purpose message.
 */
final class StreamedSmtpMessage extends SMTPMessage {
    private final MimeMessage original;

    StreamedSmtpMessage(Session session, MimeMessage original) {
        super(session);
        this.original = original;
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
        original.writeTo(os, ignoreList);
    }

    @Override
    public void writeTo(OutputStream os) throws IOException, MessagingException {
        original.writeTo(os);
    }

    /** Read by the transport only for an empty monitoring probe (sendMessageStart): not decoded for that. */
    @Override
    public String getSubject() {
        return null;
    }

    @Override
    public Address[] getFrom() throws MessagingException {
        return original.getFrom();
    }
}
