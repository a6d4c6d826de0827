package org.smimegw.gateway.cli.quarantine;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolEntry;

/** {@code quarantine list}: one line per quarantined mail: id, received, sender, recipients, reason. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List quarantined mail (oldest first).")
public final class QuarantineListCommand implements Callable<Integer> {
    static final DateTimeFormatter RECEIVED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<SpoolEntry> entries = QuarantineCommand.open(config).list();
        PrintWriter out = spec.commandLine().getOut();
        if (entries.isEmpty()) {
            out.println("quarantine is empty");
            return 0;
        }
        int idWidth = Math.max(2, entries.stream().mapToInt(e -> e.id().length()).max().orElse(2));
        int senderWidth = Math.max(6, entries.stream().mapToInt(e -> sender(e.envelope()).length()).max().orElse(6));
        int recipientsWidth = Math.max(10,
                entries.stream().mapToInt(e -> recipients(e.envelope()).length()).max().orElse(10));
        String format = "%-" + idWidth + "s  %-20s  %-" + senderWidth + "s  %-" + recipientsWidth + "s  %s%n";
        out.printf(format, "ID", "RECEIVED", "SENDER", "RECIPIENTS", "REASON");
        for (SpoolEntry entry : entries) {
            Envelope envelope = entry.envelope();
            out.printf(format, entry.id(), received(envelope), sender(envelope), recipients(envelope),
                    QuarantineArea.reason(envelope));
        }
        out.printf("%d quarantined message(s)%n", entries.size());
        return 0;
    }

    static String received(Envelope envelope) {
        return envelope.receivedAt() == null ? "-" : RECEIVED.format(envelope.receivedAt());
    }

    static String sender(Envelope envelope) {
        return envelope.hasNullSender() ? "<>" : envelope.sender();
    }

    static String recipients(Envelope envelope) {
        return String.join(",", envelope.recipients());
    }
}
