package org.smimegw.gateway.cli.quarantine;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * The QUARANTINE area of a spool as the administrator sees it: list, find, release (back to INCOMING, marked
 * {@link QuarantineAttributes#RELEASED}, so the pipeline runs it again from {@code root}) and delete. Works beside
 * a running gateway (open the spool with {@code FileSpool.attach}): the gateway does not touch quarantined
 * entries, and its periodic INCOMING rescan picks released ones up.
 */
public final class QuarantineArea {
    private final Spool spool;
    private final Clock clock;

    public QuarantineArea(Spool spool, Clock clock) {
        this.spool = spool;
        this.clock = clock;
    }

    /** Quarantined entries, oldest first. */
    public List<SpoolEntry> list() throws SpoolException {
        return spool.list(SpoolArea.QUARANTINE);
    }

    /** The entry with this queue id, or a one-line error. */
    public SpoolEntry find(String id) throws SpoolException, CliException {
        return spool.find(SpoolArea.QUARANTINE, id.trim())
                .orElseThrow(() -> new CliException("no quarantined message with id '" + id.trim() + "'"));
    }

    /** Why it was quarantined: {@code policy.quarantineReason}, else the last pipeline error, else "-". */
    public static String reason(Envelope envelope) {
        String reason = envelope.attributes().get(QuarantineAttributes.REASON);
        if (reason == null) {
            reason = envelope.attributes().get(PipelineAttributes.LAST_ERROR);
        }
        return reason == null || reason.isBlank() ? "-" : reason;
    }

    /**
     * Moves the entry to INCOMING marked as released, with the pipeline state reset (it starts in {@code root},
     * no failure count, no delay). Returns the entry in INCOMING.
     */
    public SpoolEntry release(String id) throws SpoolException, CliException {
        return release(id, null);
    }

    /**
     * {@link #release(String)}, recording why ({@link QuarantineAttributes#RELEASE_REASON}) when a reason is given.
     */
    public SpoolEntry release(String id, String reason) throws SpoolException, CliException {
        SpoolEntry entry = find(id);
        Map<String, String> attributes = new HashMap<>(entry.envelope().attributes());
        attributes.remove(PipelineAttributes.STATE);
        attributes.remove(PipelineAttributes.FAILURES);
        attributes.remove(PipelineAttributes.NOT_BEFORE);
        attributes.remove(PipelineAttributes.LAST_ERROR);
        attributes.remove(QuarantineAttributes.REASON);
        attributes.put(QuarantineAttributes.RELEASED, "true");
        attributes.put(QuarantineAttributes.RELEASED_AT, clock.instant().toString());
        if (reason != null && !reason.isBlank()) {
            attributes.put(QuarantineAttributes.RELEASE_REASON, reason.strip().replaceAll("\\s+", " "));
        }
        SpoolEntry marked = spool.updateEnvelope(entry, entry.envelope().withAttributes(attributes));
        return spool.move(marked, SpoolArea.INCOMING);
    }

    /** Removes the entry for good. */
    public SpoolEntry delete(String id) throws SpoolException, CliException {
        SpoolEntry entry = find(id);
        spool.delete(entry);
        return entry;
    }
}
