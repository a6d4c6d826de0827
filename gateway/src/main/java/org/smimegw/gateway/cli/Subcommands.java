package org.smimegw.gateway.cli;

import java.util.List;

/**
 * Every subcommand of {@code smime-gateway}, in help order. To add one: write a picocli {@code @Command} class
 * (a {@code Callable<Integer>} or {@code Runnable}; a group such as {@code certs} or {@code policy} is a command
 * with its own subcommands) and append it here.
 */
public final class Subcommands {
    private Subcommands() {
    }

    public static final List<Class<?>> ALL = List.of(
            RunCommand.class,
            SendCommand.class,
            HashPasswordCommand.class,
            ReloadCommand.class,
            org.smimegw.gateway.cli.certs.CertsCommand.class,
            org.smimegw.gateway.cli.policy.PolicyCommand.class,
            org.smimegw.gateway.cli.quarantine.QuarantineCommand.class,
            org.smimegw.gateway.cli.spool.SpoolCommand.class

    );
}
