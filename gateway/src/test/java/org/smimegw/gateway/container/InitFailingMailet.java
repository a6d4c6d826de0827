package org.smimegw.gateway.container;

import jakarta.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/** Test mailet whose init() fails like a mailet missing a required file. */
public class InitFailingMailet extends GenericMailet {
    @Override
    public void init() throws MessagingException {
        throw new MessagingException("key file /nonexistent/key.pem not found");
    }

    @Override
    public void service(Mail mail) {
    }
}
