package org.smimegw.mailets.policy;

import java.util.Map;

/**
 * One party's effective policy in one role (what mail it sends, or what mail it receives): every setting with the
 * level it came from. Immutable.
 */
public record PartyPolicy(String address, Role role, Map<Setting<?>, EffectiveSetting<?>> values) {
    public PartyPolicy {
        values = Map.copyOf(values);
    }

    @SuppressWarnings("unchecked")
    public <T> EffectiveSetting<T> get(Setting<T> setting) {
        return (EffectiveSetting<T>) values.get(setting);
    }

    public <T> T value(Setting<T> setting) {
        return get(setting).value();
    }

    /** The same values with their origins tagged as coming from {@code side} of a pair. */
    PartyPolicy onSide(Side side) {
        java.util.Map<Setting<?>, EffectiveSetting<?>> tagged = new java.util.HashMap<>();
        values.forEach((k, v) -> tagged.put(k, retag(v, side)));
        return new PartyPolicy(address, role, tagged);
    }

    private static <T> EffectiveSetting<T> retag(EffectiveSetting<T> v, Side side) {
        return new EffectiveSetting<>(v.setting(), v.value(), v.origins().stream().map(o -> o.onSide(side)).toList());
    }
}
