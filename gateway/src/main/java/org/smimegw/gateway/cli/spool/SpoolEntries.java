package org.smimegw.gateway.cli.spool;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolException;

/** How the {@code spool} and {@code quarantine} commands print entries: a table, or one entry in full. */
public final class SpoolEntries {
    private static final DateTimeFormatter RECEIVED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private SpoolEntries() {
    }

    /**
     * One line per entry: [area,] id, received, sender, recipients, reason; a header line first. Nothing is printed
     * for no entries (the caller says so in its words).
     */
    public static void table(PrintWriter out, List<SpoolAdmin.Item> items, boolean withArea) {
        int idWidth = width(items.stream().map(SpoolAdmin.Item::id).toList(), "ID");
        int senderWidth = width(items.stream().map(SpoolEntries::sender).toList(), "SENDER");
        int recipientsWidth = Math.max(10, width(items.stream().map(SpoolEntries::recipients).toList(), "RECIPIENTS"));
        String format = (withArea ? "%-10s  " : "%s") + "%-" + idWidth + "s  %-20s  %-" + senderWidth + "s  %-"
                + recipientsWidth + "s  %s%n";
        out.printf(format, withArea ? "AREA" : "", "ID", "RECEIVED", "SENDER", "RECIPIENTS", "REASON");
        for (SpoolAdmin.Item item : items) {
            out.printf(format, withArea ? item.area().directoryName() : "", item.id(), received(item), sender(item),
                    recipients(item), item.reason());
        }
    }

    /**
     * The entry: envelope, reason, attributes, size, then the stored header (and with {@code body} the whole
     * message), checked to be the entry's own file.
     */
    public static void show(PrintWriter out, SpoolAdmin admin, SpoolAdmin.Item item, boolean body)
            throws SpoolException {
        out.println("id:          " + item.id());
        out.println("area:        " + item.area().directoryName());
        out.println("received:    " + received(item));
        out.println("sender:      " + sender(item));
        out.println("recipients:  " + String.join(", ", item.envelope().map(Envelope::recipients).orElse(List.of())));
        item.envelope().ifPresent(e -> out.println("client:      " + e.clientAddress() + " (HELO " + e.clientHelo()
                + ")" + (e.authenticatedUser() == null ? "" : ", AUTH " + e.authenticatedUser())));
        out.println("reason:      " + item.reason());
        Map<String, String> attributes = new TreeMap<>(item.envelope().map(Envelope::attributes).orElse(Map.of()));
        attributes.remove(SpoolAdmin.QUARANTINE_REASON);
        attributes.forEach((name, value) -> out.println("attribute:   " + name + " = " + value));
        out.println("size:        " + item.size() + " bytes");
        out.println();
        // read completely before printing: what is printed is known to be this entry's
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        if (body) {
            LineEndingsOutputStream lines = new LineEndingsOutputStream(out);
            admin.writeMessage(item, true, lines);
            lines.close();
        } else {
            admin.writeMessage(item, false, header);
            String text = header.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
            out.print(text.endsWith("\n\n") ? text.substring(0, text.length() - 1) : text);
            out.println("(body not shown; use --body)");
        }
        out.flush();
    }

    static String received(SpoolAdmin.Item item) {
        return item.envelope().map(Envelope::receivedAt).map(RECEIVED::format).orElse("-");
    }

    static String sender(SpoolAdmin.Item item) {
        return item.envelope().map(e -> e.hasNullSender() ? "<>" : e.sender()).orElse("?");
    }

    static String recipients(SpoolAdmin.Item item) {
        return item.envelope().map(e -> String.join(",", e.recipients())).orElse("(envelope unreadable)");
    }

    private static int width(List<String> values, String title) {
        return Math.max(title.length(), values.stream().mapToInt(String::length).max().orElse(0));
    }

    /** Writes stored bytes to a PrintWriter line by line, CRLF as the platform's line end. */
    private static final class LineEndingsOutputStream extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineEndingsOutputStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                out.println(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void close() {
            if (line.size() > 0) {
                out.println(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }
}
