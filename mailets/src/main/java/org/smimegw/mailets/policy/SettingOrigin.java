package org.smimegw.mailets.policy;

/**
 * Where one value came from: which party of the pair ({@code side}, null for a single party's policy), which level
 * and entry ({@code "*.example.com"}, {@code "finance@example.com"}; null for global and default), which block
 * ({@code null}: written directly under the entry), and the file and line (0 for defaults).
 */
public record SettingOrigin(Side side, PolicyLevel level, String entry, Role block, String file, int line) {

    public static SettingOrigin defaultValue() {
        return new SettingOrigin(null, PolicyLevel.DEFAULT, null, null, null, 0);
    }

    public SettingOrigin onSide(Side s) {
        return new SettingOrigin(s, level, entry, block, file, line);
    }

    public boolean isDefault() {
        return level == PolicyLevel.DEFAULT;
    }

    /** "global", "domain *.example.com", "user finance@example.com (Sending)", "default". */
    public String where() {
        String w = switch (level) {
            case DEFAULT -> "default";
            case GLOBAL -> "global";
            case WILDCARD_DOMAIN, DOMAIN -> "domain " + entry;
            case USER -> "user " + entry;
        };
        return block == null ? w : w + " (" + block.blockName() + ")";
    }

    /** {@link #where()} with the side and the file:line, e.g. "recipient: domain partner.example (policy.yaml:31)". */
    public String describe() {
        String s = side == null ? where() : side.label() + ": " + where();
        return line > 0 ? s + " (" + file + ":" + line + ")" : s;
    }

    @Override
    public String toString() {
        return describe();
    }
}
