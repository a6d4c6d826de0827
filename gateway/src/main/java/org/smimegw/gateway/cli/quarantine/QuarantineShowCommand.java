package org.smimegw.gateway.cli.quarantine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolEntry;

/** {@code quarantine show ID [--body]}: envelope, reason and the message's header (the body only with --body). */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a quarantined mail: envelope, reason, headers (the body only with --body).")
public final class QuarantineShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Queue id (from 'quarantine list').")
    String id;

    @Option(names = "--body", description = "Also print the body (the whole message as stored).")
    boolean body;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SpoolEntry entry = QuarantineCommand.open(config).find(id);
        Envelope envelope = entry.envelope();
        PrintWriter out = spec.commandLine().getOut();
        out.println("id:          " + entry.id());
        out.println("received:    " + QuarantineListCommand.received(envelope));
        out.println("sender:      " + QuarantineListCommand.sender(envelope));
        out.println("recipients:  " + String.join(", ", envelope.recipients()));
        out.println("client:      " + envelope.clientAddress() + " (HELO " + envelope.clientHelo() + ")"
                + (envelope.authenticatedUser() == null ? "" : ", AUTH " + envelope.authenticatedUser()));
        out.println("reason:      " + QuarantineArea.reason(envelope));
        Map<String, String> attributes = new TreeMap<>(envelope.attributes());
        attributes.remove(QuarantineAttributes.REASON);
        attributes.forEach((name, value) -> out.println("attribute:   " + name + " = " + value));
        out.println("size:        " + Files.size(entry.contentFile()) + " bytes");
        out.println();
        try (BufferedReader reader = Files.newBufferedReader(entry.contentFile(), StandardCharsets.UTF_8)) {
            copy(reader, out);
        } catch (IOException e) {
            throw new CliException("cannot read " + entry.contentFile() + ": " + e.getMessage());
        }
        out.flush();
        return 0;
    }

    /** The header lines (up to the empty line), and the rest only with --body; line by line, never the whole. */
    private void copy(BufferedReader reader, PrintWriter out) throws IOException {
        String line;
        boolean inHeader = true;
        while ((line = reader.readLine()) != null) {
            if (inHeader && line.isEmpty()) {
                inHeader = false;
                if (!body) {
                    out.println("(body not shown; use --body)");
                    return;
                }
            }
            out.println(line);
        }
    }
}
