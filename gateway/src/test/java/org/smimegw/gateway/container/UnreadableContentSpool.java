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

/** The real spool with one injected fault: reading a message's content fails as a disk error would. */
final class UnreadableContentSpool implements Spool {
    private final Spool spool;

    UnreadableContentSpool(Spool spool) {
        this.spool = spool;
    }

    @Override
    public MimeMessage open(SpoolEntry entry) throws SpoolException {
        throw new SpoolException("cannot open " + entry.id() + ": Input/output error", new IOException("EIO"));
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
