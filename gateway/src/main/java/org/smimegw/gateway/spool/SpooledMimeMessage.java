package org.smimegw.gateway.spool;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.MessagingException;
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

    SpooledMimeMessage(Session session, SharedFileInputStream file, AtomicLong openCount) throws MessagingException {
        super(session, file);
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
}
