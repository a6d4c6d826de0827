package org.smimegw.gateway.cli;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.app.StartupException;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.reload.SighupReloadTrigger;
import org.smimegw.gateway.logging.LogFlush;
import org.smimegw.gateway.logging.LogFormat;

/**
 * {@code run}: starts the gateway and runs until stopped (Ctrl-C / SIGTERM stop it gracefully); SIGHUP reloads
 * policy.yaml and mailetcontainer.xml as {@code reload} does.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the gateway (SMTP front end, spool, pipeline, delivery, admin endpoint).")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** The JVM option bin/smime-gateway starts the gateway with. */
    static final String EXIT_ON_OOM = "ExitOnOutOfMemoryError";

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long begin = System.nanoTime();
        GatewayConfig gatewayConfig = config.load();
        LogFormat.apply(gatewayConfig.logging().format());
        logOutOfMemoryPolicy();
        GatewayApplication application = new GatewayApplication(gatewayConfig);
        // a reload applies changed certstore.ldap settings (and keeps the directory cache when they are the same)
        application.readCertstoreOnReload(() -> config.load().certstore());
        try {
            application.start();
        } catch (StartupException e) {
            throw new CliException("cannot start: " + e.getMessage(),
                    e.configuration() ? ExitCodes.CONFIG : ExitCodes.FAILURE, e);
        }
        // signal handling in place before the ready line, so a SIGHUP or SIGTERM right after it is handled
        SighupReloadTrigger sighup = SighupReloadTrigger.install(application::reload);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sighup.close();
            application.stop();
            stopped.countDown();
            LogFlush.flushAndStop(); // the last lines of the stop are still queued in the async appender
        }, "gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        long sinceCommand = (System.nanoTime() - begin) / 1_000_000;
        long sinceJvm = ManagementFactory.getRuntimeMXBean().getUptime();
        spec.commandLine().getOut().printf("gateway ready: %s (started in %d ms, %d ms since JVM start)%n",
                application.describeEndpoints(), sinceCommand, sinceJvm);
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * Says in the log what an OutOfMemoryError does to this process. With {@code -XX:+ExitOnOutOfMemoryError} (what
     * bin/smime-gateway sets) the JVM ends at the first one and the service manager starts it again: the spool holds
     * every accepted mail, so nothing is lost. Without it, an OutOfMemoryError kills only the thread it hits, and a
     * process can go on accepting mail with dead workers or a dead admin endpoint.
     */
    private static void logOutOfMemoryPolicy() {
        boolean exits;
        try {
            exits = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(EXIT_ON_OOM).getValue());
        } catch (RuntimeException e) {
            exits = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+" + EXIT_ON_OOM);
        }
        if (exits) {
            log.info("an OutOfMemoryError ends this process (-XX:+{}): the service manager restarts it and the "
                    + "spool resumes the mail in hand", EXIT_ON_OOM);
        } else {
            log.warn("started without -XX:+{}: an OutOfMemoryError would leave the process half-alive (dead "
                    + "workers, admin endpoint); bin/smime-gateway sets it", EXIT_ON_OOM);
        }
    }
}
