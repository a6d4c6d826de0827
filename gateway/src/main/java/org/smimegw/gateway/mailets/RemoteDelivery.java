package org.smimegw.gateway.mailets;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

import org.smimegw.gateway.delivery.DeliveryQueue;
import org.smimegw.gateway.spool.SpoolException;

/**
 * The end of the transport processor: hands the mail with its remaining recipients to the delivery queue and ends
 * its way through the pipeline (state GHOST). With the gateway's queue ({@code SpoolDeliveryQueue}) and
 * {@code delivery.immediate} on, the recipients are first tried on this thread over idle pooled connections; what
 * is not delivered or bounced is durable in the OUTGOING spool area before this returns. The mail's INCOMING
 * entry, deleted by the pipeline only after the container finished, covers a crash in between (at-least-once).
 */
public class RemoteDelivery extends GenericMailet {
    private final DeliveryQueue queue;

    @Inject
    public RemoteDelivery(DeliveryQueue queue) {
        this.queue = queue;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!mail.getRecipients().isEmpty()) {
            try {
                queue.enqueue(mail);
            } catch (SpoolException e) {
                throw new MessagingException("cannot queue mail " + mail.getName() + " for delivery: "
                        + e.getMessage(), e);
            }
        }
        mail.setState(Mail.GHOST);
    }

    @Override
    public String getMailetInfo() {
        return "RemoteDelivery: delivers mail to the next hop over SMTP, at once or through the delivery queue";
    }
}
