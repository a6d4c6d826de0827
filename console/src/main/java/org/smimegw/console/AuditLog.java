package org.smimegw.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change made through the console (and every login), one JSON object a line, appended and forced to disk
 * before the change is answered: {@code time}, {@code user}, {@code role}, {@code client}, {@code action},
 * {@code target}, {@code outcome} ({@code ok}, {@code refused} or {@code failed}) and {@code detail}. Never key
 * material, passwords or message content.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /** One line of the log. */
    public record Entry(String time, String user, String role, String client, String action, String target,
                        String outcome, String detail) {
    }

    private final Path file;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** Appends one entry and forces it to disk. */
    public synchronized Entry write(Principal who, String client, String action, String target, String outcome,
                                    String detail) {
        Entry entry = new Entry(clock.instant().toString(), who == null ? "-" : who.name(),
                who == null ? "-" : who.role().name().toLowerCase(java.util.Locale.ROOT), client, action,
                target == null ? "" : target, outcome, detail == null ? "" : oneLine(detail));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] line = (json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                channel.write(java.nio.ByteBuffer.wrap(line));
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file, e);
        }
        LOG.info("audit: {} {} {} {}: {}", entry.user(), entry.action(), entry.target(), entry.outcome(),
                entry.detail());
        return entry;
    }

    /** {@link #write} for a request: its principal (or the one given, e.g. at login) and client address. */
    public Entry record(io.javalin.http.Context ctx, Principal who, String action, String target, String outcome,
                        String detail) {
        return write(who, ctx.ip(), action, target, outcome, detail);
    }

    /** {@link #record} for the logged-in principal. */
    public Entry record(io.javalin.http.Context ctx, String action, String target, String outcome, String detail) {
        return record(ctx, Sessions.principal(ctx).orElse(null), action, target, outcome, detail);
    }

    /** The last {@code limit} entries, newest first. */
    public synchronized List<Entry> last(int limit) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Deque<Entry> tail = new ArrayDeque<>();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isBlank()) {
                    continue;
                }
                tail.addFirst(parse(line));
                if (tail.size() > limit) {
                    tail.removeLast();
                }
            }
        }
        return new ArrayList<>(tail);
    }

    private Entry parse(String line) {
        try {
            return json.readValue(line, Entry.class);
        } catch (JsonProcessingException e) {
            return new Entry("", "", "", "", "(unreadable line)", "", "", "");
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
