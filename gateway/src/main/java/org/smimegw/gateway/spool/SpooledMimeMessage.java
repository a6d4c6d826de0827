package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

/**
 * A message read from a spool file: headers are parsed, the body stays in the file and is read on demand.
 * An existing Message-ID survives {@code saveChanges()}. {@link #close()} releases the file (idempotent); the mailet container closes every message it opened.
 */
public final class SpooledMimeMessage extends MimeMessage implements AutoCloseable {
    private final SharedFileInputStream file;
    private final AtomicLong openCount;
    private boolean closed;
    private final Path path;
    private volatile boolean changed;

    SpooledMimeMessage(Session session, Path path, SharedFileInputStream file, AtomicLong openCount)
            throws MessagingException {
        super(session, file);
        this.path = path;
        this.file = file;
        this.openCount = openCount;
        openCount.incrementAndGet();
    }

    /**
     * Keeps the Message-ID the message arrived with when a mailet's change makes {@code saveChanges()} run (as
     * James's MimeMessageWrapper does); only a message without one gets a new id.
     */
    @Override
    protected void updateMessageID() throws MessagingException {
        if (getHeader("Message-ID", null) == null) {
            super.updateMessageID();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            openCount.decrementAndGet();
            file.close();
        }
    }

    /**
     * The spool file while nothing may have changed the message since it was read (no header or content setter,
     * no {@code saveChanges}), else empty. {@link FileSpool} stores such a message into another area by
     * hard-linking this file instead of writing and fsyncing a copy of the same bytes.
     */
    synchronized Optional<Path> unchangedFile() {
        return changed || closed ? Optional.empty() : Optional.of(path);
    }

    @Override
    public void setHeader(String name, String value) throws MessagingException {
        changed = true;
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) throws MessagingException {
        changed = true;
        super.addHeader(name, value);
    }

    @Override
    public void removeHeader(String name) throws MessagingException {
        changed = true;
        super.removeHeader(name);
    }

    @Override
    public void addHeaderLine(String line) throws MessagingException {
        changed = true;
        super.addHeaderLine(line);
    }

    @Override
    public void setDataHandler(DataHandler dh) throws MessagingException {
        changed = true;
        super.setDataHandler(dh);
    }

    @Override
    public void setContent(Object o, String type) throws MessagingException {
        changed = true;
        super.setContent(o, type);
    }

    @Override
    public void setContent(Multipart mp) throws MessagingException {
        changed = true;
        super.setContent(mp);
    }

    @Override
    public void setText(String text, String charset, String subtype) throws MessagingException {
        changed = true;
        super.setText(text, charset, subtype);
    }

    @Override
    public void saveChanges() throws MessagingException {
        changed = true;
        super.saveChanges();
    }

    @Override
    protected void updateHeaders() throws MessagingException {
        changed = true;
        super.updateHeaders();
    }
}
