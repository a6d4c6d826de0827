package org.smimegw.gateway.cli.quarantine;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Test stand-in for the inbound policy check: quarantines every mail (reason in {@code policy.quarantineReason},
 * state {@code quarantine}) unless it carries the release marker {@code policy.released}.
 */
public class QuarantineUnlessReleased extends GenericMailet {
    static final String REASON = "signed mail required (recipient user legal@example.com (Receiving)) for "
            + "legal@example.com but the message is not signed";

    @Override
    public void service(Mail mail) {
        if (mail.getAttribute(AttributeName.of(org.smimegw.gateway.admin.SpoolAdmin.RELEASED)).isPresent()) {
            return;
        }
        mail.setAttribute(new Attribute(AttributeName.of(org.smimegw.gateway.admin.SpoolAdmin.QUARANTINE_REASON), AttributeValue.of(REASON)));
        mail.setState("quarantine");
    }
}
