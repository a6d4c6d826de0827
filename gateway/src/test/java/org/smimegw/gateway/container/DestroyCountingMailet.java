package org.smimegw.gateway.container;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/** Test mailet counting destroy() calls in an injected counter. */
public class DestroyCountingMailet extends GenericMailet {
    public static final class Counter {
        final AtomicInteger destroyed = new AtomicInteger();
    }

    private final Counter counter;

    @Inject
    public DestroyCountingMailet(Counter counter) {
        this.counter = counter;
    }

    @Override
    public void service(Mail mail) {
    }

    @Override
    public void destroy() {
        counter.destroyed.incrementAndGet();
    }
}
