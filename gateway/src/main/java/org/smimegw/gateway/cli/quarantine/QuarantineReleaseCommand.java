package org.smimegw.gateway.cli.quarantine;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.spool.SpoolCommand;
import org.smimegw.gateway.spool.SpoolEntry;

/** {@code quarantine release ID [--reason TEXT]}: back to INCOMING, marked released; the pipeline runs it again. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release a quarantined mail: the pipeline runs it again (the inbound policy check lets it "
                + "pass); a running gateway picks it up within seconds, a stopped one at its next start.")
public final class QuarantineReleaseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Queue id (from 'quarantine list').")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why it is released; kept with the mail as "
            + "policy.releaseReason (the console asks for it).")
    String reason;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SpoolEntry released;
        try {
            released = SpoolCommand.open(config).release(id, reason);
        } catch (SpoolAdmin.NoSuchEntryException e) {
            throw QuarantineCommand.unknown(id);
        }
        spec.commandLine().getOut().println("released " + released.id() + " (" + released.envelope().recipients().size()
                + " recipient(s)); the pipeline runs it again");
        return 0;
    }
}
