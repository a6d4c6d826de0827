package org.smimegw.gateway.reload;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.smimegw.gateway.app.Reloadable;

/**
 * Reloads on SIGHUP (as daemons do), through {@code sun.misc.Signal} of the {@code jdk.unsupported} module. The
 * reload runs on its own thread, not in the JVM's signal dispatcher; signals that arrive while one runs are queued
 * and run one after the other. The outcome is logged by the reloader. Where the platform has no SIGHUP (Windows) it
 * does nothing.
 */
public final class SighupReloadTrigger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SighupReloadTrigger.class);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reload-sighup");
        t.setDaemon(true);
        return t;
    });
    private final Signal signal;
    private final SignalHandler previous;

    private SighupReloadTrigger(Reloadable target) {
        Signal hup;
        SignalHandler before = null;
        try {
            hup = new Signal("HUP");
            before = Signal.handle(hup, s -> trigger(target));
            if (before == SignalHandler.SIG_IGN) {
                // the JVM installs no handler for a signal the process was started ignoring (e.g. under nohup)
                LOG.warn("SIGHUP is ignored by this process (started with nohup?): reload with 'smime-gateway reload'");
            }
        } catch (IllegalArgumentException e) {
            LOG.info("no SIGHUP on this platform ({}); reload with 'smime-gateway reload'", e.getMessage());
            hup = null;
        }
        this.signal = hup;
        this.previous = before;
    }

    /** Installs the handler; {@link #close()} restores the previous one. */
    public static SighupReloadTrigger install(Reloadable target) {
        return new SighupReloadTrigger(target);
    }

    private void trigger(Reloadable target) {
        try {
            worker.execute(() -> {
                LOG.info("SIGHUP: reloading");
                try {
                    target.reload();
                } catch (Exception e) {
                    // the reloader logged the refusal with its reason; nothing else to do
                    LOG.debug("reload after SIGHUP refused: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("SIGHUP after stop ignored");
        }
    }

    @Override
    public void close() {
        if (signal != null && previous != null) {
            Signal.handle(signal, previous);
        }
        worker.shutdownNow();
    }
}
