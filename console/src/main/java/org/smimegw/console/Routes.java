package org.smimegw.console;

import io.javalin.Javalin;

/** A group of the console's routes (an API area or the pages); {@link ConsoleServer} registers each. */
interface Routes {
    void register(Javalin app);
}
