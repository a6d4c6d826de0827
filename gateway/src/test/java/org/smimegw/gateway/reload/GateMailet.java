package org.smimegw.gateway.reload;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/** Test mailet: each mail waits at the {@link Gate} until it opens; destroy() is counted there. */
public class GateMailet extends GenericMailet {
    private final Gate gate;

    @Inject
    public GateMailet(Gate gate) {
        this.gate = gate;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try {
            gate.pass();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted at the gate");
        }
    }

    @Override
    public void destroy() {
        gate.destroyed.incrementAndGet();
    }
}
