package org.smimegw.console;

import io.javalin.security.RouteRole;

/** Who may call a route. */
public enum Role implements RouteRole {
    /** Anyone, logged in or not (the login page, the session endpoint). */
    ANYONE,
    /** An administrator of the gateway. */
    ADMIN,
    /** An internal user on the self-service page. */
    USER
}
