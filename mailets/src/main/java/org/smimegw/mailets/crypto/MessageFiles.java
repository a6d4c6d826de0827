package org.smimegw.mailets.crypto;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;

import org.smimegw.mailets.mime.LeanSharedFileInputStream;
import org.smimegw.mailets.mime.RawBodyMimeMessage;

/**
 * Temporary storage for the messages and parts the crypto classes produce, so that nothing holds a large message in
 * memory: the producer writes into a buffer of at most {@link #memoryThreshold()} bytes; what stays within it is kept
 * in memory ({@link SharedByteArrayInputStream}), anything larger spills into a temporary file read through a
 * {@link LeanSharedFileInputStream} (no buffer per parsed part until it is read). The file is unlinked as soon as it is open (POSIX keeps it until the stream is
 * closed or collected). A small message thus costs no file system calls (creating, writing and unlinking a file cost
 * more CPU, mostly in the kernel, than signing it), while a large one still streams. Thread-safe.
 */
public final class MessageFiles {

    /** Results up to this size stay in memory by default (64 KiB). */
    public static final int DEFAULT_MEMORY_THRESHOLD = 64 * 1024;

    /** The largest threshold {@link #parseMemoryThreshold} accepts (16 MiB). */
    public static final int MAX_MEMORY_THRESHOLD = 16 * 1024 * 1024;

    /** Writes bytes to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException, MessagingException;
    }

    private final Path directory;
    private final int memoryThreshold;
    private final Session session;
    private final CachingCommandMap contentHandlers = new CachingCommandMap();

    /**
     * @param directory       where results larger than {@code memoryThreshold} go
     * @param memoryThreshold the largest result kept in memory, in bytes; 0 writes every result to a file
     */
    public MessageFiles(Path directory, int memoryThreshold) {
        if (memoryThreshold < 0) {
            throw new IllegalArgumentException("memory threshold must not be negative: " + memoryThreshold);
        }
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
        this.session = Session.getInstance(new Properties());
    }

    /** Results up to {@link #DEFAULT_MEMORY_THRESHOLD} in memory, larger ones in temporary files in {@code directory}. */
    public MessageFiles(Path directory) {
        this(directory, DEFAULT_MEMORY_THRESHOLD);
    }

    /** Temporary files in {@code java.io.tmpdir}. */
    public MessageFiles() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Parses a memory threshold as configured: a number of bytes, optionally with the suffix {@code k} (KiB) or
     * {@code m} (MiB), e.g. {@code 65536}, {@code 64k}; 0 to {@link #MAX_MEMORY_THRESHOLD}.
     */
    public static int parseMemoryThreshold(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        int factor = 1;
        if (v.endsWith("k")) {
            factor = 1024;
            v = v.substring(0, v.length() - 1).trim();
        } else if (v.endsWith("m")) {
            factor = 1024 * 1024;
            v = v.substring(0, v.length() - 1).trim();
        }
        long n;
        try {
            n = Long.parseLong(v) * factor;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number of bytes such as 65536 or 64k, got '" + value + "'");
        }
        if (n < 0 || n > MAX_MEMORY_THRESHOLD) {
            throw new IllegalArgumentException("expected 0 to " + MAX_MEMORY_THRESHOLD / (1024 * 1024)
                    + "m bytes, got '" + value + "'");
        }
        return (int) n;
    }

    /** The largest result kept in memory, in bytes. */
    public int memoryThreshold() {
        return memoryThreshold;
    }

    public Session session() {
        return session;
    }

    /**
     * A {@code DataHandler} for {@code content} of MIME type {@code type} whose content handler is looked up once per
     * type ({@link CachingCommandMap}) rather than made anew each time it is written.
     */
    DataHandler dataHandler(Object content, String type) {
        return withCachedHandlers(new DataHandler(content, type));
    }

    /** {@code handler}, set to look up its content handler once per type ({@link CachingCommandMap}). */
    DataHandler withCachedHandlers(DataHandler handler) {
        handler.setCommandMap(contentHandlers);
        return handler;
    }

    public Path directory() {
        return directory;
    }

    /** A new empty temporary file the caller deletes. */
    public File newTemporaryFile() throws IOException {
        try {
            return Files.createTempFile(directory, "smime-", ".tmp").toFile();
        } catch (NoSuchFileException e) {
            Files.createDirectories(directory);
            return Files.createTempFile(directory, "smime-", ".tmp").toFile();
        }
    }

    /** Writes a whole RFC 5322 message and returns it parsed, backed by the memory buffer or the file. */
    public MimeMessage message(Writer writer) throws IOException, MessagingException {
        try (InputStream in = write(writer)) {
            return new RawBodyMimeMessage(session, in);
        }
    }

    /** Writes a MIME entity (headers, blank line, body) and returns it as a body part backed by the buffer or file. */
    public MimeBodyPart part(Writer writer) throws IOException, MessagingException {
        try (InputStream in = write(writer)) {
            return new MimeBodyPart(in);
        }
    }

    /**
     * Writes into memory, spilling into a temporary file past the threshold, and opens the result. Closing the
     * returned stream does not invalidate sub-streams already taken from it (the file is closed with its last
     * stream). Also used for content that is only read once (e.g. the canonical form of signed content).
     */
    InputStream write(Writer writer) throws IOException, MessagingException {
        SpillingOutputStream out = new SpillingOutputStream();
        try {
            writer.writeTo(out);
            return out.finish();
        } finally {
            out.discard();
        }
    }

    /**
     * Keeps up to {@link #memoryThreshold} bytes in its own buffer; on the first byte beyond it moves what it holds
     * into a new temporary file and goes on writing there.
     */
    private final class SpillingOutputStream extends OutputStream {
        private byte[] buffer = new byte[Math.min(memoryThreshold, 16 * 1024)];
        private int count;
        private File file;
        private OutputStream fileOut;

        @Override
        public void write(int b) throws IOException {
            if (fileOut == null && ensureCapacity(1)) {
                buffer[count++] = (byte) b;
            } else {
                fileOut.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fileOut == null && ensureCapacity(len)) {
                System.arraycopy(b, off, buffer, count, len);
                count += len;
            } else {
                fileOut.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (fileOut != null) {
                fileOut.flush();
            }
        }

        /** Room for {@code len} more bytes in memory, growing the buffer; false after spilling to a file. */
        private boolean ensureCapacity(int len) throws IOException {
            long needed = (long) count + len;
            if (needed <= buffer.length) {
                return true;
            }
            if (needed <= memoryThreshold) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(memoryThreshold, Math.max(needed, 2L * buffer.length)));
                return true;
            }
            file = newTemporaryFile();
            fileOut = new BufferedOutputStream(Files.newOutputStream(file.toPath()), 64 * 1024);
            fileOut.write(buffer, 0, count);
            buffer = null;
            return false;
        }

        /** What was written, opened for reading (a {@link jakarta.mail.internet.SharedInputStream}). */
        InputStream finish() throws IOException {
            if (fileOut == null) {
                return new SharedByteArrayInputStream(buffer, 0, count);
            }
            fileOut.close();
            fileOut = null;
            return new LeanSharedFileInputStream(file, 64 * 1024);
        }

        /** Unlinks the spill file, if any (a stream opened on it keeps it until closed). */
        void discard() {
            if (fileOut != null) {
                try {
                    fileOut.close();
                } catch (IOException e) {
                    // the write already failed; that failure is the one reported
                }
            }
            if (file != null && !file.delete()) {
                file.deleteOnExit();
            }
        }
    }
}
