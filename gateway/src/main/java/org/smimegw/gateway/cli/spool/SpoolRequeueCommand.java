package org.smimegw.gateway.cli.spool;

import picocli.CommandLine.Command;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/** {@code spool requeue ID... | --all AREA}: the pipeline runs the entries again (as {@code postsuper -r}). */
@Command(name = "requeue", mixinStandardHelpOptions = true,
        description = "Run spool entries through the pipeline again, as new: from any area (error, corrupt once "
                + "repaired, quarantine, outgoing, incoming); a running gateway picks them up within seconds.")
public final class SpoolRequeueCommand extends SpoolEntryAction {

    @Override
    String act(SpoolAdmin admin, String id) throws SpoolAdmin.NoSuchEntryException, SpoolException {
        SpoolEntry entry = admin.requeue(id);
        return "requeued " + entry.id() + " (" + entry.envelope().recipients().size()
                + " recipient(s)); the pipeline runs it again";
    }
}
