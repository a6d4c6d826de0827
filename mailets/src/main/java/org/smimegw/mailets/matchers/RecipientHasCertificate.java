package org.smimegw.mailets.matchers;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.mailets.RecipientCertificates;

/**
 * The recipients that have a published certificate valid for encryption now, so the container splits the mail.
 * A directory that cannot be asked is an exception (the container's onMatchException decides; the mail must not
 * be treated as having no certificate).
 */
public class RecipientHasCertificate extends GenericMatcher {

    private final RecipientCertificates certificates;
    private final Clock clock;

    @Inject
    public RecipientHasCertificate(CertificateStore store, CertificateValidator validator, Clock clock) {
        this.certificates = new RecipientCertificates(store, validator);
        this.clock = clock;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        Instant now = clock.instant();
        List<MailAddress> out = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            try {
                if (certificates.find(recipient.asString(), now).isPresent()) {
                    out.add(recipient);
                }
            } catch (DirectoryUnavailableException e) {
                throw new MessagingException("certificate directory unavailable for " + recipient.asString(), e);
            }
        }
        return out;
    }
}
