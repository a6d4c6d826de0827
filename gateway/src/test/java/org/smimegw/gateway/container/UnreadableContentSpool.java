package org.smimegw.gateway.container;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import jakarta.mail.internet.MimeMessage;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolContentWriter;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/** The real spool with one injected fault: reading a message's content fails with the given reason. */
final class UnreadableContentSpool implements Spool {
    private final Spool spool;
    private final String reason;

    /** @param reason as the system would say it, e.g. "Input/output error" (a disk error) */
    UnreadableContentSpool(Spool spool, String reason) {
        this.spool = spool;
        this.reason = reason;
    }

    @Override
    public MimeMessage open(SpoolEntry entry) throws SpoolException {
        throw new SpoolException("cannot open " + entry.id() + ": " + reason, new IOException(reason));
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, InputStream content) throws SpoolException {
        return spool.store(area, envelope, content);
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, MimeMessage message) throws SpoolException {
        return spool.store(area, envelope, message);
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, SpoolContentWriter writer) throws IOException {
        return spool.store(area, envelope, writer);
    }

    @Override
    public List<SpoolEntry> list(SpoolArea area) throws SpoolException {
        return spool.list(area);
    }

    @Override
    public Optional<SpoolEntry> find(SpoolArea area, String id) throws SpoolException {
        return spool.find(area, id);
    }

    @Override
    public boolean contains(SpoolEntry entry) {
        return spool.contains(entry);
    }

    @Override
    public boolean hasRoomFor(long bytes) {
        return spool.hasRoomFor(bytes);
    }

    @Override
    public SpoolEntry updateEnvelope(SpoolEntry entry, Envelope envelope) throws SpoolException {
        return spool.updateEnvelope(entry, envelope);
    }

    @Override
    public SpoolEntry move(SpoolEntry entry, SpoolArea to) throws SpoolException {
        return spool.move(entry, to);
    }

    @Override
    public void delete(SpoolEntry entry) throws SpoolException {
        spool.delete(entry);
    }
}
