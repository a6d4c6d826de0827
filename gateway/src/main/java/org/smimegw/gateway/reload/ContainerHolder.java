package org.smimegw.gateway.reload;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.container.ContainerSource;
import org.smimegw.gateway.container.MailetContainer;

/**
 * The mailet container in force now, swapped atomically on reload. Every mail leases the container it runs on
 * ({@link #acquire()}); a replaced container is destroyed when the last mail running on it closes its lease (or at
 * once when none does), never under a running mail.
 *
 * <p>Reference counting: each generation starts with one reference held by the holder itself; a lease adds one
 * unless the count already dropped to zero (then the generation is retired and the lease is retried on the current
 * one); {@link #swap} and {@link #close} drop the holder's reference.
 */
public final class ContainerHolder implements ContainerSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerHolder.class);

    private final AtomicReference<Generation> current = new AtomicReference<>();

    /** Holds no container yet; {@link #swap} sets the first. */
    public ContainerHolder() {
    }

    @Override
    public Lease acquire() {
        while (true) {
            Generation generation = current.get();
            if (generation == null) {
                throw new IllegalStateException("no mailet container (the pipeline is stopped)");
            }
            if (generation.tryAcquire()) {
                return generation.new GenerationLease();
            }
            // retired between get() and tryAcquire(): the new one is already in place
        }
    }

    /** The container new mails run on, or null. */
    public MailetContainer container() {
        Generation generation = current.get();
        return generation == null ? null : generation.container;
    }

    /**
     * Puts {@code container} in force; the previous one is destroyed once the mails running on it finished
     * (possibly on the thread of the last such mail).
     */
    public void swap(MailetContainer container) {
        Generation old = current.getAndSet(new Generation(container));
        if (old != null) {
            old.retire();
        }
    }

    /** Drops the current container; it is destroyed when the mails running on it finished. Idempotent. */
    @Override
    public void close() {
        Generation old = current.getAndSet(null);
        if (old != null) {
            old.retire();
        }
    }

    private final class Generation {
        private final MailetContainer container;
        private final AtomicInteger references = new AtomicInteger(1);
        private final AtomicBoolean destroyed = new AtomicBoolean();

        Generation(MailetContainer container) {
            this.container = container;
        }

        boolean tryAcquire() {
            while (true) {
                int n = references.get();
                if (n == 0) {
                    return false;
                }
                if (references.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void retire() {
            int inFlight = references.get() - 1;
            if (inFlight > 0) {
                LOG.debug("mailet container {} replaced; destroyed after {} mail(s) in flight on it finish",
                        container.source(), inFlight);
            }
            release();
        }

        void release() {
            if (references.decrementAndGet() == 0 && destroyed.compareAndSet(false, true)) {
                container.destroy();
                LOG.debug("mailet container {} destroyed (no mail in flight on it)", container.source());
            }
        }

        final class GenerationLease implements Lease {
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public MailetContainer container() {
                return container;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    release();
                }
            }
        }
    }
}
