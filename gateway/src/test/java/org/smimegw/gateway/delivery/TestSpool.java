package org.smimegw.gateway.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Minimal test-only {@link Spool}: content files in a directory, envelopes in memory (the real FileSpool is written
 * by another part of the project). Enough for delivery: one instance survives a DeliveryService restart.
 */
final class TestSpool implements Spool {
    private final Path dir;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, SpoolEntry> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> order = new ConcurrentHashMap<>();

    TestSpool(Path dir) {
        this.dir = dir;
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, InputStream content) throws SpoolException {
        String id = "T" + ids.incrementAndGet();
        Path file = dir.resolve(id + ".eml");
        try {
            Files.copy(content, file);
        } catch (IOException e) {
            throw new SpoolException("store failed", e);
        }
        return put(new SpoolEntry(id, area, envelope, file));
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, MimeMessage message) throws SpoolException {
        String id = "T" + ids.incrementAndGet();
        Path file = dir.resolve(id + ".eml");
        try (OutputStream out = Files.newOutputStream(file)) {
            message.writeTo(out);
        } catch (IOException | MessagingException e) {
            throw new SpoolException("store failed", e);
        }
        return put(new SpoolEntry(id, area, envelope, file));
    }

    private SpoolEntry put(SpoolEntry entry) {
        order.put(entry.id(), ids.get());
        entries.put(entry.id(), entry);
        return entry;
    }

    @Override
    public List<SpoolEntry> list(SpoolArea area) {
        List<SpoolEntry> result = new ArrayList<>();
        for (SpoolEntry e : entries.values()) {
            if (e.area() == area) {
                result.add(e);
            }
        }
        result.sort(Comparator.comparing(e -> order.get(e.id())));
        return result;
    }

    @Override
    public Optional<SpoolEntry> find(SpoolArea area, String id) {
        return Optional.ofNullable(entries.get(id)).filter(e -> e.area() == area);
    }

    @Override
    public SpoolEntry updateEnvelope(SpoolEntry entry, Envelope envelope) throws SpoolException {
        SpoolEntry updated = new SpoolEntry(entry.id(), entry.area(), envelope, entry.contentFile());
        if (entries.replace(entry.id(), updated) == null) {
            throw new SpoolException("no such entry " + entry.id(), null);
        }
        return updated;
    }

    @Override
    public SpoolEntry move(SpoolEntry entry, SpoolArea to) {
        SpoolEntry moved = new SpoolEntry(entry.id(), to, entry.envelope(), entry.contentFile());
        entries.put(entry.id(), moved);
        return moved;
    }

    @Override
    public void delete(SpoolEntry entry) throws SpoolException {
        entries.remove(entry.id());
        try {
            Files.deleteIfExists(entry.contentFile());
        } catch (IOException e) {
            throw new SpoolException("delete failed", e);
        }
    }

    @Override
    public MimeMessage open(SpoolEntry entry) throws SpoolException {
        try {
            return new MimeMessage(Session.getInstance(new java.util.Properties()),
                    new SharedFileInputStream(entry.contentFile().toFile()));
        } catch (IOException | MessagingException e) {
            throw new SpoolException("open failed", e);
        }
    }
}
