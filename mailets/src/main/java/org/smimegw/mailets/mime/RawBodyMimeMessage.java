package org.smimegw.mailets.mime;

import java.io.InputStream;
import java.util.Date;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A message parsed from stored bytes whose body stays those bytes as long as nothing replaced its content: after
 * changes to its headers only (a verdict header, a removed {@code Bcc}), {@link #saveChanges()} updates the top-level
 * headers Jakarta Mail would ({@code MIME-Version}, a missing {@code Date}, the Message-ID) and {@link #writeTo} then
 * writes the new headers and the raw body. Plain {@link MimeMessage#saveChanges()} parses the whole MIME tree to
 * update every part's headers and serialises the message again from that tree: work, memory and stack in
 * proportion to the number and nesting of parts (a multipart nested 5,000 levels deep overflowed the stack), and a
 * re-encoded body where nothing asked for one. This is what James's {@code MimeMessageWrapper} does too.
 *
 * <p>As soon as the content is replaced ({@code setContent}, {@code setDataHandler}, {@code setText}) or was parsed
 * into objects that a caller may have changed ({@code getContent()} of a multipart), saving is Jakarta Mail's own.
 * An existing Message-ID is kept in every case; only a message without one gets a new one.
 */
public class RawBodyMimeMessage extends MimeMessage {
    private boolean contentReplaced;

    /** A new, empty message: its content is set later, so it is saved the usual way. */
    public RawBodyMimeMessage(Session session) {
        super(session);
        contentReplaced = true;
    }

    /** The message stored in {@code in} (a {@link jakarta.mail.internet.SharedInputStream} keeps the body there). */
    public RawBodyMimeMessage(Session session, InputStream in) throws MessagingException {
        super(session, in);
    }

    /** True while {@link #writeTo} writes the body exactly as it was read. */
    public synchronized boolean bodyUnchanged() {
        return !contentReplaced && cachedContent == null && !modified;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        if (getHeader("Message-ID", null) == null) {
            super.updateMessageID();
        }
    }

    @Override
    public synchronized void saveChanges() throws MessagingException {
        if (!bodyUnchanged()) {
            super.saveChanges();
            return;
        }
        saved = true; // modified stays false: writeTo writes the headers and then the raw body
        updateHeaders();
    }

    @Override
    protected synchronized void updateHeaders() throws MessagingException {
        if (!bodyUnchanged()) {
            super.updateHeaders();
            return;
        }
        setHeader("MIME-Version", "1.0");
        if (getHeader("Date") == null) {
            setSentDate(new Date());
        }
        updateMessageID();
    }

    @Override
    public synchronized void setDataHandler(DataHandler dh) throws MessagingException {
        contentReplaced = true;
        super.setDataHandler(dh);
    }

    @Override
    public void setContent(Object o, String type) throws MessagingException {
        markContentReplaced();
        super.setContent(o, type);
    }

    @Override
    public void setContent(Multipart mp) throws MessagingException {
        markContentReplaced();
        super.setContent(mp);
    }

    @Override
    public void setText(String text, String charset, String subtype) throws MessagingException {
        markContentReplaced();
        super.setText(text, charset, subtype);
    }

    private synchronized void markContentReplaced() {
        contentReplaced = true;
    }
}
