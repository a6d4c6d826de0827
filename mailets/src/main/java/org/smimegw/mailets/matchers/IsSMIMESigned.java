package org.smimegw.mailets.matchers;

import java.util.Collection;
import java.util.List;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.smimegw.mailets.crypto.SmimeContentTypes;

/** All recipients when the message's top level is S/MIME signed (clear or opaque, incl. legacy x-pkcs7 names). */
public class IsSMIMESigned extends GenericMatcher {
    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return SmimeContentTypes.isSigned(mail.getMessage()) ? mail.getRecipients() : List.of();
    }
}
