package org.smimegw.gateway.spool;

import java.io.InputStream;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

/**
 * Durable, file-based message store. Every write goes to a temp file, is fsynced, and is renamed into place
 * (directory fsynced too), so a message that a method returned for is on disk. Safe for concurrent use.
 */
public interface Spool {

    /**
     * Stores a new message read from {@code content} (raw RFC 5322 bytes, CRLF line ends) with its envelope.
     * Returns only after content and envelope are durable.
     */
    SpoolEntry store(SpoolArea area, Envelope envelope, InputStream content) throws SpoolException;

    /** Stores a new message from a {@link MimeMessage} (written out streaming) with its envelope. */
    SpoolEntry store(SpoolArea area, Envelope envelope, MimeMessage message) throws SpoolException;

    /**
     * Stores a new message whose content {@code writer} streams once the queue id is allocated (so the id can go
     * into a header). Returns only after content and envelope are durable. An {@link java.io.IOException} of the
     * writer itself propagates unchanged and leaves nothing behind; spool failures are {@link SpoolException}.
     */
    SpoolEntry store(SpoolArea area, Envelope envelope, SpoolContentWriter writer) throws java.io.IOException;

    /** Entries of an area, oldest first. */
    List<SpoolEntry> list(SpoolArea area) throws SpoolException;

    /** Finds an entry by queue id in an area. */
    java.util.Optional<SpoolEntry> find(SpoolArea area, String id) throws SpoolException;

    /** True while the entry is still in its area (not deleted or moved meanwhile); one file look-up, no read. */
    boolean contains(SpoolEntry entry);

    /**
     * Whether a new message of {@code bytes} fits while the spool's file system keeps its free-space reserve (as
     * Postfix's {@code queue_minfree}); the SMTP front end asks at MAIL FROM.
     */
    boolean hasRoomFor(long bytes);

    /** Atomically replaces the stored envelope of {@code entry}; returns the updated entry. */
    SpoolEntry updateEnvelope(SpoolEntry entry, Envelope envelope) throws SpoolException;

    /** Atomically moves an entry to another area, keeping its id. */
    SpoolEntry move(SpoolEntry entry, SpoolArea to) throws SpoolException;

    /** Removes an entry (content and envelope). */
    void delete(SpoolEntry entry) throws SpoolException;

    /** The entry's content as a MimeMessage backed by the spool file (not loaded into memory). */
    MimeMessage open(SpoolEntry entry) throws SpoolException;
}
