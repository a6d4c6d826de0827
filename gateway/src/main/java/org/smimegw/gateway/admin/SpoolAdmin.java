package org.smimegw.gateway.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.mail.MessagingException;

import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.delivery.DeliveryService;
import org.smimegw.gateway.delivery.DsnMailBouncer;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;
import org.smimegw.gateway.spool.UnreadableEntryException;
import org.smimegw.mailets.policy.enforce.PolicyActions;

/**
 * The operator's view of the spool, as {@code mailq} and {@code postsuper} give it for Postfix: list (and search) the
 * entries of any area, show one, re-queue it (run it through the pipeline again), release a quarantined one, bounce
 * one back to its sender, delete one. The
 * one implementation of these operations: the {@code spool} and {@code quarantine} commands use it, and a web console
 * calls the same. Works beside a running gateway (open the spool with {@link FileSpool#attach}): a re-queued entry
 * lands in INCOMING, which the gateway rescans every few seconds.
 */
public final class SpoolAdmin {
    /** Envelope attribute of a re-queued entry: the area it came from. */
    public static final String REQUEUED_FROM = "spool.requeuedFrom";
    /** Envelope attribute of a re-queued entry: when (ISO-8601). */
    public static final String REQUEUED_AT = "spool.requeuedAt";
    /** Envelope attribute of a quarantined mail: why policy kept it. */
    public static final String QUARANTINE_REASON = PolicyActions.QUARANTINE_REASON;
    /** Envelope attribute of a mail released from the quarantine: the inbound policy lets it pass. */
    public static final String RELEASED = PolicyActions.RELEASED;
    /** Envelope attribute of a released mail: when (ISO-8601). */
    public static final String RELEASED_AT = "policy.releasedAt";
    /** Envelope attribute of a released mail: why, as the administrator gave it (one line; optional). */
    public static final String RELEASE_REASON = "policy.releaseReason";

    /** RFC 3463 "other or undefined status" of an administrator's bounce. */
    public static final String BOUNCE_STATUS = "5.0.0";
    /** The diagnostic a bounced mail's sender reads (never the administrator's reason, which may be internal). */
    public static final String BOUNCE_DIAGNOSTIC = "delivery cancelled by the mail gateway's administrator";

    private final FileSpool spool;
    private final DsnMailBouncer bouncer;
    private final Clock clock;

    /** @param bouncer queues the reports of {@link #bounce} (the delivery's own) */
    public SpoolAdmin(FileSpool spool, DsnMailBouncer bouncer, Clock clock) {
        this.spool = spool;
        this.bouncer = bouncer;
        this.clock = clock;
    }

    /**
     * One entry as an operator sees it.
     *
     * @param envelope empty for an entry of CORRUPT whose envelope does not read
     * @param size     bytes of the stored message
     * @param reason   why it is where it is: the quarantine reason, the last pipeline or delivery error, why it is
     *                 corrupt; "-" when there is none
     */
    public record Item(String id, SpoolArea area, Optional<Envelope> envelope, long size, String reason) {
    }

    /**
     * What {@link #search} selects; every criterion given must hold.
     *
     * @param areas     the areas to look in (all when empty)
     * @param address   part of the sender or of a recipient (case-insensitive), or {@code null}
     * @param id        part of the queue id, or {@code null}
     * @param olderThan received at least this long ago, or {@code null}
     * @param newerThan received less than this long ago, or {@code null}
     */
    public record Query(Set<SpoolArea> areas, String address, String id, Duration olderThan, Duration newerThan) {
        public Query {
            areas = areas == null || areas.isEmpty() ? EnumSet.allOf(SpoolArea.class) : EnumSet.copyOf(areas);
            address = blankToNull(address);
            id = blankToNull(id);
        }

        boolean matches(Item item, Instant now) {
            if (id != null && !item.id().toLowerCase(Locale.ROOT).contains(id.toLowerCase(Locale.ROOT))) {
                return false;
            }
            Envelope e = item.envelope().orElse(null);
            if (address != null && (e == null || !addressMatches(e, address.toLowerCase(Locale.ROOT)))) {
                return false;
            }
            if (olderThan == null && newerThan == null) {
                return true;
            }
            if (e == null || e.receivedAt() == null) {
                return false; // an age criterion: only entries whose age is known
            }
            Duration age = Duration.between(e.receivedAt(), now);
            return (olderThan == null || age.compareTo(olderThan) >= 0)
                    && (newerThan == null || age.compareTo(newerThan) < 0);
        }

        /**
         * An age as the CLI and the console take it: a number with {@code s}, {@code m}, {@code h} or {@code d}
         * ({@code 90s}, {@code 30m}, {@code 2h}, {@code 3d}) or ISO-8601 ({@code PT1H30M}); {@code null} for none.
         *
         * @throws IllegalArgumentException naming the value and the accepted forms
         */
        public static Duration age(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String t = text.strip().toLowerCase(Locale.ROOT);
            try {
                if (t.startsWith("p")) {
                    return Duration.parse(t.toUpperCase(Locale.ROOT));
                }
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                switch (t.charAt(t.length() - 1)) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    default: break;
                }
            } catch (RuntimeException e) {
                // the message below
            }
            throw new IllegalArgumentException("not an age: '" + text + "' (a number with s, m, h or d, e.g. 30m, "
                    + "or ISO-8601 such as PT1H)");
        }

        private static boolean addressMatches(Envelope e, String part) {
            return (e.sender() != null && e.sender().toLowerCase(Locale.ROOT).contains(part))
                    || e.recipients().stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).contains(part));
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    /**
     * A bounced entry.
     *
     * @param report the report queued to the sender; empty when none was due (null sender, NOTIFY=NEVER)
     */
    public record Bounced(Item item, Optional<SpoolEntry> report) {
        /** One line, as the CLI prints it and the console answers. */
        public String summary() {
            return report.map(r -> "bounced " + item.id() + ": report queued as " + r.id() + " to <"
                            + String.join(",", r.envelope().recipients()) + ">; the entry is deleted")
                    .orElse("bounced " + item.id() + ": no report due (null sender or NOTIFY); the entry is deleted");
        }
    }

    /** An entry that is not there (one line). */
    public static final class NoSuchEntryException extends Exception {
        NoSuchEntryException(String message) {
            super(message);
        }
    }

    /** The entries of an area, oldest first. */
    public List<Item> list(SpoolArea area) throws SpoolException {
        List<Item> items = new ArrayList<>();
        if (area == SpoolArea.CORRUPT) {
            for (String id : spool.ids(area)) {
                item(area, id).ifPresent(items::add);
            }
            return items;
        }
        for (SpoolEntry entry : spool.list(area)) {
            items.add(item(entry));
        }
        return items;
    }

    /** The entries {@code query} selects, area by area (in {@link SpoolArea} order), oldest first within each. */
    public List<Item> search(Query query) throws SpoolException {
        Instant now = clock.instant();
        List<Item> items = new ArrayList<>();
        for (SpoolArea area : query.areas()) {
            for (Item item : list(area)) {
                if (query.matches(item, now)) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    /** The entry with this id, in whichever area it is (ids are unique across areas). */
    public Item find(String id) throws SpoolException, NoSuchEntryException {
        String trimmed = id.trim();
        for (SpoolArea area : SpoolArea.values()) {
            Optional<Item> item = item(area, trimmed);
            if (item.isPresent()) {
                return item.get();
            }
        }
        throw new NoSuchEntryException("no spool entry with id '" + trimmed + "'");
    }

    /** The entry with this id in {@code area}. */
    public Item find(SpoolArea area, String id) throws SpoolException, NoSuchEntryException {
        return item(area, id.trim()).orElseThrow(() -> new NoSuchEntryException(
                "no " + area.directoryName() + " entry with id '" + id.trim() + "'"));
    }

    /**
     * Writes the stored message: its header (with {@code body}, all of it) to {@code out}, checked to be the entry's
     * own file (the gateway may delete the entry while it is read).
     */
    public void writeMessage(Item item, boolean body, OutputStream out) throws SpoolException {
        spool.copyContent(item.area(), item.id(), out, !body);
    }

    /**
     * Runs the entry through the pipeline again from {@code root}, as new: moved to INCOMING (an INCOMING entry stays)
     * with the pipeline's failure count, delay and error, the delivery attempts and the quarantine reason removed. An
     * entry of CORRUPT must read by now (repaired by hand). A quarantined mail re-queued this way meets the inbound
     * policy again; {@link #release} lets it pass. An OUTGOING entry is handed to the pipeline again: a worker that
     * is delivering it right now may still finish (delivered twice, never lost).
     */
    public SpoolEntry requeue(String id) throws SpoolException, NoSuchEntryException {
        Item item = find(id);
        SpoolEntry entry = readable(item);
        Map<String, String> attributes = new HashMap<>(entry.envelope().attributes());
        attributes.keySet().removeIf(name -> name.startsWith("delivery."));
        attributes.remove(PipelineAttributes.STATE);
        attributes.remove(PipelineAttributes.FAILURES);
        attributes.remove(PipelineAttributes.NOT_BEFORE);
        attributes.remove(PipelineAttributes.LAST_ERROR);
        attributes.remove(QUARANTINE_REASON);
        attributes.put(REQUEUED_FROM, item.area().directoryName());
        attributes.put(REQUEUED_AT, clock.instant().toString());
        return toIncoming(item, entry, attributes);
    }

    /**
     * Releases a quarantined mail: to INCOMING marked {@link #RELEASED}, so the pipeline runs it again from
     * {@code root} and the inbound policy lets it pass.
     */
    public SpoolEntry release(String id) throws SpoolException, NoSuchEntryException {
        return release(id, null);
    }

    /** {@link #release(String)}, recording why ({@link #RELEASE_REASON}) when a reason is given. */
    public SpoolEntry release(String id, String reason) throws SpoolException, NoSuchEntryException {
        Item item = find(SpoolArea.QUARANTINE, id);
        SpoolEntry entry = readable(item);
        Map<String, String> attributes = new HashMap<>(entry.envelope().attributes());
        attributes.remove(PipelineAttributes.STATE);
        attributes.remove(PipelineAttributes.FAILURES);
        attributes.remove(PipelineAttributes.NOT_BEFORE);
        attributes.remove(PipelineAttributes.LAST_ERROR);
        attributes.remove(QUARANTINE_REASON);
        attributes.put(RELEASED, "true");
        attributes.put(RELEASED_AT, clock.instant().toString());
        if (reason != null && !reason.isBlank()) {
            attributes.put(RELEASE_REASON, reason.strip().replaceAll("\\s+", " "));
        }
        return toIncoming(item, entry, attributes);
    }

    /**
     * Returns the entry to its sender and removes it: one RFC 3464 report that all its (remaining) recipients failed
     * ({@link #BOUNCE_STATUS}, {@link #BOUNCE_DIAGNOSTIC}, the delivery's own DSNs, obeying NOTIFY and RET), queued in
     * INCOMING, then the entry deleted. A mail with the null sender is deleted without a report. An entry of CORRUPT
     * must read first. An OUTGOING entry that a worker is delivering right now may still be delivered.
     */
    public Bounced bounce(String id) throws SpoolException, NoSuchEntryException {
        Item item = find(id);
        SpoolEntry entry = readable(item);
        Optional<SpoolEntry> report;
        try {
            report = bouncer.reportFailed(entry.envelope(), spool.open(entry), BOUNCE_STATUS, BOUNCE_DIAGNOSTIC,
                    "bounce of " + item.area().directoryName() + " entry " + item.id() + " by the administrator");
        } catch (MessagingException e) {
            throw new SpoolException("cannot build the bounce of " + item.id() + ": " + e.getMessage(), e);
        }
        delete(item);
        return new Bounced(item, report);
    }

    /** Removes the entry for good, in whichever area it is (whatever its state: a corrupt one too). */
    public Item delete(String id) throws SpoolException, NoSuchEntryException {
        return delete(find(id));
    }

    /** Removes the entry of {@code area} for good. */
    public Item delete(SpoolArea area, String id) throws SpoolException, NoSuchEntryException {
        return delete(find(area, id));
    }

    private Item delete(Item item) throws SpoolException, NoSuchEntryException {
        if (!spool.deleteFiles(item.area(), item.id())) {
            throw new NoSuchEntryException("no spool entry with id '" + item.id() + "' (removed meanwhile)");
        }
        return item;
    }

    /** Why an entry is where it is: quarantine reason, last pipeline error, last delivery error; "-" if none. */
    public static String reason(Envelope envelope) {
        for (String name : List.of(QUARANTINE_REASON, PipelineAttributes.LAST_ERROR, DeliveryService.ATTR_LAST_ERROR)) {
            String value = envelope.attributes().get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "-";
    }

    private SpoolEntry toIncoming(Item item, SpoolEntry entry, Map<String, String> attributes) throws SpoolException {
        SpoolEntry marked = spool.updateEnvelope(entry, entry.envelope().withAttributes(attributes));
        if (item.area() == SpoolArea.INCOMING) {
            return marked;
        }
        SpoolEntry moved = spool.move(marked, SpoolArea.INCOMING);
        if (item.area() == SpoolArea.CORRUPT) {
            spool.deleteFiles(SpoolArea.CORRUPT, item.id()); // what is left there: the reason
        }
        return moved;
    }

    /** The entry with its envelope; an unreadable one (CORRUPT, not repaired) cannot be re-queued. */
    private SpoolEntry readable(Item item) throws SpoolException, NoSuchEntryException {
        try {
            return spool.find(item.area(), item.id()).orElseThrow(() -> new NoSuchEntryException(
                    "no spool entry with id '" + item.id() + "' (removed meanwhile)"));
        } catch (UnreadableEntryException e) {
            throw new SpoolException(e.getMessage() + "; repair " + item.area().directoryName() + "/" + item.id()
                    + ".env by hand, or delete the entry", e);
        }
    }

    private Item item(SpoolEntry entry) {
        String reason = entry.area() == SpoolArea.CORRUPT
                ? spool.corruptReason(entry.id()).orElse("-") : reason(entry.envelope());
        return new Item(entry.id(), entry.area(), Optional.of(entry.envelope()), size(entry), reason);
    }

    private Optional<Item> item(SpoolArea area, String id) throws SpoolException {
        try {
            return spool.find(area, id).map(this::item);
        } catch (UnreadableEntryException e) {
            long size;
            try {
                size = Files.size(spool.root().resolve(area.directoryName()).resolve(id + ".eml"));
            } catch (IOException gone) {
                return Optional.empty();
            }
            String reason = area == SpoolArea.CORRUPT ? spool.corruptReason(id).orElse(e.reason())
                    : e.reason() + " (the gateway moves it to corrupt at its next scan)";
            return Optional.of(new Item(id, area, Optional.empty(), size, reason));
        }
    }

    private static long size(SpoolEntry entry) {
        try {
            return Files.size(entry.contentFile());
        } catch (IOException e) {
            return -1;
        }
    }
}
