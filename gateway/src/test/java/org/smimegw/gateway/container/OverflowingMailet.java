package org.smimegw.gateway.container;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Test mailet that recurses without bound (a real {@link StackOverflowError}, as a MIME parser nesting 5,000 levels
 * deep) for mail to {@code deep@example.org}, and does nothing for the rest.
 */
public class OverflowingMailet extends GenericMailet {
    @Override
    public void service(Mail mail) {
        if (mail.getRecipients().stream().anyMatch(r -> r.asString().equals("deep@example.org"))) {
            descend(0);
        }
    }

    private static int descend(int depth) {
        return descend(depth + 1) + 1;
    }
}
