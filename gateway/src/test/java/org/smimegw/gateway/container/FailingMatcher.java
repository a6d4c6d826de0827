package org.smimegw.gateway.container;

import java.util.Collection;

import jakarta.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/** Test matcher that always throws. */
public class FailingMatcher extends GenericMatcher {
    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        throw new MessagingException("deliberate matcher failure");
    }
}
