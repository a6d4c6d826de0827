package org.smimegw.mailets.policy;

import java.util.Objects;
import java.util.function.Function;

import org.yaml.snakeyaml.nodes.Node;

/**
 * One policy setting: its policy.yaml name (Exchange's where Exchange has one), how its value is read, its default,
 * whether it may be set below {@code global:}, and how a sender's and a recipient's values combine for a pair.
 * The instances are the constants in {@link Settings}.
 */
public final class Setting<T> {

    /** Reads a value from its YAML node; throws {@link BadValueException} with the reason. */
    @FunctionalInterface
    interface ValueReader<T> {
        T read(Node node) throws BadValueException;
    }

    /** Combines the sender side's and the recipient side's effective values (origins already carry their side). */
    @FunctionalInterface
    interface PairCombiner<T> {
        EffectiveSetting<T> combine(EffectiveSetting<T> sender, EffectiveSetting<T> recipient, MailDirection direction);
    }

    private final String name;
    private final Class<?> type;
    private final T defaultValue;
    private final boolean globalOnly;
    private final ValueReader<T> reader;
    private final Function<T, String> formatter;
    private final PairCombiner<T> combiner;
    private final String pairRule;
    private final String meaning;

    Setting(String name, Class<?> type, T defaultValue, boolean globalOnly, ValueReader<T> reader,
            Function<T, String> formatter, PairCombiner<T> combiner, String pairRule, String meaning) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.globalOnly = globalOnly;
        this.reader = reader;
        this.formatter = formatter;
        this.combiner = combiner;
        this.pairRule = pairRule;
        this.meaning = meaning;
    }

    public String name() {
        return name;
    }

    /** The value's type: Boolean, an algorithm or mode enum, or List (of algorithms). */
    public Class<?> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** True when the setting may only appear under {@code global:} (AllowWeakAlgorithms). */
    public boolean globalOnly() {
        return globalOnly;
    }

    /** How the sender's and the recipient's values combine, in words (for docs and explain). */
    public String pairRule() {
        return pairRule;
    }

    public String meaning() {
        return meaning;
    }

    public String format(T value) {
        return formatter.apply(value);
    }

    @SuppressWarnings("unchecked")
    String formatUnchecked(Object value) {
        return formatter.apply((T) value);
    }

    T read(Node node) throws BadValueException {
        return reader.read(node);
    }

    EffectiveSetting<T> combine(EffectiveSetting<T> sender, EffectiveSetting<T> recipient, MailDirection direction) {
        return combiner.combine(sender, recipient, direction);
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setting<?> s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }
}
