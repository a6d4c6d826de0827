package org.smimegw.mailets.matchers;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.smimegw.certstore.CertificateStore;

/**
 * All recipients when the store holds a signing key for the sender: the From address by default,
 * {@code SenderHasSigningKey=sender} for the envelope sender.
 */
public class SenderHasSigningKey extends GenericMatcher {

    private final CertificateStore store;
    private boolean envelope;

    @Inject
    public SenderHasSigningKey(CertificateStore store) {
        this.store = store;
    }

    @Override
    public void init() throws MessagingException {
        String condition = getCondition() == null ? "from" : getCondition().trim().toLowerCase(Locale.ROOT);
        switch (condition) {
            case "", "from" -> envelope = false;
            case "sender" -> envelope = true;
            default -> throw new MessagingException("SenderHasSigningKey: condition must be from or sender, not " + condition);
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        String address = null;
        if (envelope) {
            address = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null);
        } else {
            Address[] from = mail.getMessage().getFrom();
            if (from != null && from.length > 0 && from[0] instanceof InternetAddress ia) {
                address = ia.getAddress();
            }
        }
        return address != null && store.signingKey(address).isPresent() ? mail.getRecipients() : List.of();
    }
}
