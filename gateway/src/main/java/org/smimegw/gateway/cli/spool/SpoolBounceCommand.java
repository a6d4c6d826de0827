package org.smimegw.gateway.cli.spool;

import picocli.CommandLine.Command;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.spool.SpoolException;

/** {@code spool bounce ID... | --all AREA}: back to the sender as failed, then removed (as {@code exim -Mg}). */
@Command(name = "bounce", mixinStandardHelpOptions = true,
        description = "Return spool entries to their senders as failed (one delivery status notification each, "
                + SpoolAdmin.BOUNCE_STATUS + " '" + SpoolAdmin.BOUNCE_DIAGNOSTIC + "'; none for the null sender), "
                + "then delete them; a running gateway sends the notifications within seconds.")
public final class SpoolBounceCommand extends SpoolEntryAction {

    @Override
    String act(SpoolAdmin admin, String id) throws SpoolAdmin.NoSuchEntryException, SpoolException {
        return admin.bounce(id).summary();
    }
}
