package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;

import org.smimegw.mailets.mime.LeanSharedFileInputStream;
import org.smimegw.mailets.mime.RawBodyMimeMessage;

/**
 * A message read from a spool file: headers are parsed, the body stays in the file and is read on demand (parts
 * through {@link LeanSharedFileInputStream}, which costs no buffer per part until it is read). After header changes
 * only, the body is written as it is in the file ({@link RawBodyMimeMessage}); an existing Message-ID survives
 * {@code saveChanges()}. {@link #close()} releases the file (idempotent); the mailet container closes every message it
 * opened.
 */
public final class SpooledMimeMessage extends RawBodyMimeMessage implements AutoCloseable {
    private final LeanSharedFileInputStream file;
    private final Runnable onClose;
    private boolean closed;
    private final Path path;
    private volatile boolean changed;

    /** @param onClose run once, when the message is closed (the spool's bookkeeping of open messages) */
    SpooledMimeMessage(Session session, Path path, LeanSharedFileInputStream file, Runnable onClose)
            throws MessagingException {
        super(session, file);
        this.path = path;
        this.file = file;
        this.onClose = onClose;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                file.closeFile(); // also the sub-streams Jakarta Mail took and never closes
            } finally {
                onClose.run();
            }
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
