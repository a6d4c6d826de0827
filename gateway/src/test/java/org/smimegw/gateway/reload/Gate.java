package org.smimegw.gateway.reload;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Test service for {@link GateMailet}: holds mails until opened, counts destroy() calls of gate mailets. */
public final class Gate {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    final AtomicInteger destroyed = new AtomicInteger();

    /** Waits until a mail stands at the gate. */
    public void awaitEntered() throws InterruptedException {
        if (!entered.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no mail reached the gate");
        }
    }

    /** Lets every mail through, now and later. */
    public void open() {
        open.countDown();
    }

    void pass() throws InterruptedException {
        entered.countDown();
        if (!open.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate never opened");
        }
    }
}
