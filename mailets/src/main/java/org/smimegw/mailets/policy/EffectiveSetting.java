package org.smimegw.mailets.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A setting's effective value and where it came from: one origin, or two when the value combines both parties
 * (an intersection of lists, or both sides agreeing).
 */
public record EffectiveSetting<T>(Setting<T> setting, T value, List<SettingOrigin> origins) {
    public EffectiveSetting {
        origins = List.copyOf(origins);
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("an effective setting needs an origin");
        }
    }

    public EffectiveSetting(Setting<T> setting, T value, SettingOrigin origin) {
        this(setting, value, List.of(origin));
    }

    /** The (first) origin; the most relevant one when there are two. */
    public SettingOrigin origin() {
        return origins.get(0);
    }

    public String formattedValue() {
        return setting.format(value);
    }

    public String describeOrigins() {
        return origins.stream().map(SettingOrigin::describe).collect(Collectors.joining(" + "));
    }

    @Override
    public String toString() {
        return setting.name() + ": " + formattedValue() + " from " + describeOrigins();
    }
}
