package org.smimegw.gateway.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * Minimal test Spool (the real FileSpool is built on another branch): content in files under a directory,
 * envelopes in memory. Not durable; enough to exercise the runner's spool protocol.
 */
final class TestSpool implements Spool {
    private final Path directory;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, SpoolEntry> entries = new ConcurrentHashMap<>();

    TestSpool(Path directory) {
        this.directory = directory;
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, InputStream content) throws SpoolException {
        try {
            String id = String.format("T%06d", ids.incrementAndGet());
            Path file = directory.resolve(id + ".eml");
            Files.copy(content, file);
            SpoolEntry entry = new SpoolEntry(id, area, envelope, file);
            entries.put(id, entry);
            return entry;
        } catch (IOException e) {
            throw new SpoolException("store failed", e);
        }
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, MimeMessage message) throws SpoolException {
        try {
            String id = String.format("T%06d", ids.incrementAndGet());
            Path file = directory.resolve(id + ".eml");
            try (OutputStream out = Files.newOutputStream(file)) {
                message.writeTo(out);
            }
            SpoolEntry entry = new SpoolEntry(id, area, envelope, file);
            entries.put(id, entry);
            return entry;
        } catch (IOException | MessagingException e) {
            throw new SpoolException("store failed", e);
        }
    }

    @Override
    public List<SpoolEntry> list(SpoolArea area) {
        List<SpoolEntry> result = new ArrayList<>();
        entries.values().stream().filter(e -> e.area() == area)
                .sorted(java.util.Comparator.comparing(SpoolEntry::id)).forEach(result::add);
        return result;
    }

    @Override
    public Optional<SpoolEntry> find(SpoolArea area, String id) {
        return Optional.ofNullable(entries.get(id)).filter(e -> e.area() == area);
    }

    @Override
    public SpoolEntry updateEnvelope(SpoolEntry entry, Envelope envelope) {
        SpoolEntry updated = new SpoolEntry(entry.id(), entry.area(), envelope, entry.contentFile());
        entries.put(entry.id(), updated);
        return updated;
    }

    @Override
    public SpoolEntry move(SpoolEntry entry, SpoolArea to) {
        SpoolEntry moved = new SpoolEntry(entry.id(), to, entries.get(entry.id()).envelope(), entry.contentFile());
        entries.put(entry.id(), moved);
        return moved;
    }

    @Override
    public void delete(SpoolEntry entry) {
        entries.remove(entry.id());
    }

    /** Messages opened and not closed yet. */
    final java.util.concurrent.atomic.AtomicInteger openMessages = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public MimeMessage open(SpoolEntry entry) throws SpoolException {
        try {
            SharedFileInputStream in = new SharedFileInputStream(entry.contentFile().toFile());
            openMessages.incrementAndGet();
            return new ClosableMessage(in);
        } catch (IOException | MessagingException e) {
            throw new SpoolException("open failed", e);
        }
    }

    /** A file-backed message that releases its file when closed (as a spool implementation may offer). */
    private final class ClosableMessage extends MimeMessage implements AutoCloseable {
        private final SharedFileInputStream in;

        ClosableMessage(SharedFileInputStream in) throws MessagingException {
            super(Session.getInstance(new Properties()), in);
            this.in = in;
        }

        @Override
        public void close() throws IOException {
            in.close();
            openMessages.decrementAndGet();
        }
    }
}
