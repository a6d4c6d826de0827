package org.smimegw.mailets.matchers;

import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.smimegw.mailets.SmimeAttributes;

/** All recipients when SMIMEVerify found a valid, trusted signature whose signer matches From. */
public class HasValidSMIMESignature extends GenericMatcher {
    @Override
    public Collection<MailAddress> match(Mail mail) {
        return SmimeAttributes.get(mail, SmimeAttributes.STATUS).filter("valid"::equals).isPresent()
                ? mail.getRecipients() : List.of();
    }
}
