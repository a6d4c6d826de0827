package org.smimegw.mailets.policy;

import java.util.Map;

/**
 * One entry of policy.yaml (global, a domain, a wildcard domain or a user) with the values written directly under it
 * and in its Sending/Receiving blocks. Immutable.
 */
record PolicyEntry(PolicyLevel level, String name, int line, Map<Setting<?>, EffectiveSetting<?>> direct,
                   Map<Setting<?>, EffectiveSetting<?>> sending, Map<Setting<?>, EffectiveSetting<?>> receiving) {

    PolicyEntry {
        direct = Map.copyOf(direct);
        sending = Map.copyOf(sending);
        receiving = Map.copyOf(receiving);
    }

    /** The value this entry sets for {@code role}: its role block first, then its direct settings; null when unset. */
    EffectiveSetting<?> lookup(Setting<?> setting, Role role) {
        EffectiveSetting<?> inBlock = (role == Role.SENDING ? sending : receiving).get(setting);
        return inBlock != null ? inBlock : direct.get(setting);
    }

    String where() {
        return switch (level) {
            case GLOBAL -> "global";
            case USER -> "user " + name;
            default -> "domain " + name;
        };
    }
}
