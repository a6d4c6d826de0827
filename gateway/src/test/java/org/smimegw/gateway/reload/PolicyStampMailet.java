package org.smimegw.gateway.reload;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

import org.smimegw.mailets.policy.PolicyProvider;
import org.smimegw.mailets.policy.PolicySet;

/** Test mailet: stamps the policy in force (injected provider) on the message as {@code X-Policy-Users}. */
public class PolicyStampMailet extends GenericMailet {
    private final PolicyProvider policy;

    @Inject
    public PolicyStampMailet(PolicyProvider policy) {
        this.policy = policy;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PolicySet current = policy.current();
        mail.getMessage().setHeader("X-Policy-Users", Integer.toString(current.userEntries()));
        mail.getMessage().saveChanges();
    }
}
