package org.smimegw.mailets;

import java.util.Set;

import jakarta.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/** Removes every {@code X-SMIME-*} header, so that no verdict from outside survives into the pipeline. */
public class StripSMIMEHeaders extends GenericMailet {

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        SmimeHeaders.strip(mail.getMessage());
    }

    /** No parameters. */
    public Set<String> getAllowedInitParameters() {
        return Set.of();
    }

    @Override
    public String getMailetInfo() {
        return "Removes X-SMIME-* headers";
    }
}
