package org.smimegw.gateway.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the SMTP AUTH password of a route from an environment variable or a file, at connect time (so a rotated
 * password is picked up without a restart). Passwords never live in the main configuration and are never logged.
 */
public final class PasswordSource {
    private final Function<String, String> environment;

    /** @param environment looks up environment variables; {@code System::getenv} in production */
    public PasswordSource(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The password for the route's username; throws with a message naming the variable or file, never the value. */
    public String passwordFor(DeliveryConfig.Route route) throws IOException {
        if (route.passwordEnv() != null) {
            String value = environment.apply(route.passwordEnv());
            if (value == null || value.isEmpty()) {
                throw new IOException("environment variable " + route.passwordEnv() + " (password for "
                        + route.username() + "@" + route.host() + ") is not set");
            }
            return value;
        }
        Path file = Path.of(route.passwordFile());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("password file " + file + " is empty");
        }
        return lines.get(0).strip();
    }
}
