package org.smimegw.mailets.crypto;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values computed once per key and kept, for what the crypto classes derive from a certificate or key again and
 * again (parsed certificate forms, recipient info generators): at most {@code capacity} entries, after which the
 * memo starts over (a gateway sees a bounded set of signers and recipients; an LRU would cost more per lookup than
 * the rare recomputation). Two threads may compute the same value at once; either result is kept. Thread-safe.
 */
final class BoundedMemo<K, V> {

    /** Computes a value; may fail with {@code E}, in which case nothing is kept. */
    interface Computation<K, V, E extends Exception> {
        V compute(K key) throws E;
    }

    private final int capacity;
    private final Map<K, V> values = new ConcurrentHashMap<>();

    BoundedMemo(int capacity) {
        this.capacity = capacity;
    }

    <E extends Exception> V get(K key, Computation<K, V, E> computation) throws E {
        V value = values.get(key);
        if (value == null) {
            value = computation.compute(key);
            if (values.size() >= capacity) {
                values.clear();
            }
            values.put(key, value);
        }
        return value;
    }

    int size() {
        return values.size();
    }
}
