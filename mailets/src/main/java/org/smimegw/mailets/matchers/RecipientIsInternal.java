package org.smimegw.mailets.matchers;

import java.util.Collection;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/** The recipients whose domain is one of the gateway's internal domains. */
public class RecipientIsInternal extends GenericMatcher {
    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getRecipients().stream()
                .filter(r -> getMailetContext().isLocalServer(r.getDomain()))
                .toList();
    }
}
