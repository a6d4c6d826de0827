package org.smimegw.gateway.config;

/**
 * One thing wrong with a configuration value.
 *
 * @param pointer the value's place as a JSON pointer, e.g. {@code /admin/port} (used to find its line)
 * @param reason  what is wrong, for an admin
 */
public record ConfigProblem(String pointer, String reason) {

    /** The value's place as a dotted key path ({@code admin.port}, {@code smtp.auth.users[0].name}). */
    public String keyPath() {
        StringBuilder out = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                out.append('[').append(part).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return out.toString();
    }

    public String describe() {
        String key = keyPath();
        return key.isEmpty() ? reason : key + ": " + reason;
    }
}
