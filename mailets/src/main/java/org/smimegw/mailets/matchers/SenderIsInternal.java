package org.smimegw.mailets.matchers;

import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/** All recipients when the envelope sender's domain is one of the gateway's internal domains. */
public class SenderIsInternal extends GenericMatcher {
    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getMaybeSender().asOptional()
                .filter(sender -> getMailetContext().isLocalServer(sender.getDomain()))
                .map(sender -> mail.getRecipients())
                .orElse(List.of());
    }
}
