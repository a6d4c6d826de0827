package org.smimegw.gateway.cli.spool;

import picocli.CommandLine.Command;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.spool.SpoolException;

/** {@code spool delete ID... | --all AREA}: removes entries for good (as {@code postsuper -d}). */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete spool entries for good, from any area (a corrupt one too).")
public final class SpoolDeleteCommand extends SpoolEntryAction {

    @Override
    String act(SpoolAdmin admin, String id) throws SpoolAdmin.NoSuchEntryException, SpoolException {
        return "deleted " + admin.delete(id).id();
    }
}
