package org.smimegw.mailets.matchers;

import java.util.Collection;
import java.util.List;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.smimegw.mailets.crypto.SmimeContentTypes;

/** All recipients when the whole message is S/MIME encrypted (enveloped-data or authEnveloped-data). */
public class IsSMIMEEncrypted extends GenericMatcher {
    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return SmimeContentTypes.isEncrypted(mail.getMessage()) ? mail.getRecipients() : List.of();
    }
}
