package org.smimegw.gateway.smtp;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What a {@link RecipientPolicyCheck} knows about the SMTP session.
 *
 * @param clientAddress     the client's IP address
 * @param helo              the HELO/EHLO name, "" when none was given
 * @param authenticatedUser the SMTP AUTH login, empty when not authenticated
 * @param tls               whether STARTTLS is active
 * @param trustedNetwork    whether the client is in {@code smtp.mynetworks}
 */
public record SmtpSessionInfo(InetAddress clientAddress, String helo, Optional<String> authenticatedUser, boolean tls,
                              boolean trustedNetwork) {
}
