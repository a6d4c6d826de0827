package org.smimegw.mailets.crypto;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

/**
 * File-backed temporary storage for the messages and parts the crypto classes produce, so that nothing holds a
 * whole message in memory: the producer writes into a temporary file, and the result is a {@link MimeMessage} or
 * {@link MimeBodyPart} reading it through a {@link SharedFileInputStream}. The file is unlinked as soon as it is
 * open (POSIX keeps it until the stream is closed or collected). Thread-safe.
 */
public final class MessageFiles {

    /** Writes bytes to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException, MessagingException;
    }

    private final Path directory;
    private final Session session;

    public MessageFiles(Path directory) {
        this.directory = directory;
        this.session = Session.getInstance(new Properties());
    }

    /** Temporary files in {@code java.io.tmpdir}. */
    public MessageFiles() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Session session() {
        return session;
    }

    public Path directory() {
        return directory;
    }

    /** A new empty temporary file the caller deletes. */
    public File newTemporaryFile() throws IOException {
        Files.createDirectories(directory);
        return Files.createTempFile(directory, "smime-", ".tmp").toFile();
    }

    /** Writes a whole RFC 5322 message and returns it parsed from the file. */
    public MimeMessage message(Writer writer) throws IOException, MessagingException {
        try (InputStream in = write(writer)) {
            return new PreservingMimeMessage(session, in);
        }
    }

    /** Writes a MIME entity (headers, blank line, body) and returns it as a body part backed by the file. */
    public MimeBodyPart part(Writer writer) throws IOException, MessagingException {
        try (InputStream in = write(writer)) {
            return new MimeBodyPart(in);
        }
    }

    /**
     * Writes into a temporary file and opens it. Closing the returned stream does not invalidate sub-streams already
     * taken from it (SharedFileInputStream reference-counts the file).
     */
    private SharedFileInputStream write(Writer writer) throws IOException, MessagingException {
        File file = newTemporaryFile();
        boolean ok = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file.toPath()), 64 * 1024)) {
                writer.writeTo(out);
            }
            SharedFileInputStream in = new SharedFileInputStream(file, 64 * 1024);
            ok = true;
            return in;
        } finally {
            if (!file.delete() && ok) {
                file.deleteOnExit();
            }
        }
    }

    /** A MimeMessage that keeps the Message-ID it already has when saved. */
    static final class PreservingMimeMessage extends MimeMessage {
        PreservingMimeMessage(Session session) {
            super(session);
        }

        PreservingMimeMessage(Session session, InputStream in) throws MessagingException {
            super(session, in);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }
}
