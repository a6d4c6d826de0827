package org.smimegw.console;

import java.io.Serializable;

/**
 * Who is logged in to a console session.
 *
 * @param name   the administrator's name, or the user's e-mail address
 * @param role   {@link Role#ADMIN} or {@link Role#USER}
 * @param method how they logged in: {@code password}, {@code ldap} or {@code certificate}
 */
public record Principal(String name, Role role, String method) implements Serializable {
}
