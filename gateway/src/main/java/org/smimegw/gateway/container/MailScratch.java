package org.smimegw.gateway.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.smimegw.mailets.mime.LeanSharedFileInputStream;
import org.smimegw.mailets.mime.RawBodyMimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Working space shared by a mail and the copies split off it during one pipeline run: names for the copies and
 * temp files that hold copied messages, so a copy is file-backed, never a whole message in memory. Closed by
 * whoever started the run, after the container finished; closing deletes the temp files and closes messages
 * opened from the spool that are {@link AutoCloseable}.
 */
public final class MailScratch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailScratch.class);
    private static final Session SESSION = Session.getInstance(new java.util.Properties());
    /** Read-ahead of a copy (and of each of its parts, allocated only when that part is read). */
    private static final int COPY_READ_BUFFER = 16 * 1024;

    private final Path directory;
    private final AtomicInteger copies = new AtomicInteger();
    private final List<Path> files = new ArrayList<>();
    private final List<AutoCloseable> streams = new ArrayList<>();

    /** @param directory where copied messages are written (created if missing) */
    public MailScratch(Path directory) {
        this.directory = directory;
    }

    /** A scratch space in the JVM's temp directory. */
    public static MailScratch inTempDirectory() {
        return new MailScratch(Path.of(System.getProperty("java.io.tmpdir")));
    }

    String deriveName(String name) {
        return name + "." + copies.incrementAndGet();
    }

    /** Writes {@code message} out to a temp file and returns a MimeMessage backed by that file. */
    public synchronized MimeMessage copy(MimeMessage message) throws MessagingException {
        try {
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "mail-copy-", ".eml");
            files.add(file);
            try (OutputStream out = Files.newOutputStream(file)) {
                message.writeTo(out);
            }
            LeanSharedFileInputStream in = new LeanSharedFileInputStream(file.toFile(), COPY_READ_BUFFER);
            streams.add(in::closeFile); // with its parts' streams: the file is deleted when the scratch closes
            return new RawBodyMimeMessage(SESSION, in);
        } catch (IOException e) {
            throw new MessagingException("cannot copy message to scratch file in " + directory + ": " + e, e);
        }
    }

    /** Registers a resource (e.g. a message opened from the spool) to be closed with this scratch space. */
    public synchronized void closeLater(AutoCloseable resource) {
        streams.add(resource);
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable in : streams) {
            try {
                in.close();
            } catch (Exception e) {
                LOG.debug("closing scratch resource: {}", e.toString());
            }
        }
        streams.clear();
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete scratch file {}: {}", file, e.toString());
            }
        }
        files.clear();
    }
}
