package org.smimegw.gateway.container;

import jakarta.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/** Test mailet that always throws. */
public class FailingMailet extends GenericMailet {
    @Override
    public void service(Mail mail) throws MessagingException {
        throw new MessagingException("deliberate failure in " + getInitParameter("what", "service"));
    }
}
