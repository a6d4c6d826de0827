package org.smimegw.gateway.container;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gateway services that mailets and matchers receive through a public {@code @jakarta.inject.Inject}
 * constructor: a parameter of type T gets the instance registered for T (or, failing that, the only registered
 * instance assignable to T). Immutable; {@link #with} returns an extended copy.
 */
public final class ServiceRegistry {
    private final Map<Class<?>, Object> services;

    public ServiceRegistry(Map<Class<?>, Object> services) {
        for (Map.Entry<Class<?>, Object> e : services.entrySet()) {
            if (!e.getKey().isInstance(e.getValue())) {
                throw new IllegalArgumentException(e.getValue() + " is not a " + e.getKey().getName());
            }
        }
        this.services = Map.copyOf(services);
    }

    public static ServiceRegistry empty() {
        return new ServiceRegistry(Map.of());
    }

    public <T> ServiceRegistry with(Class<T> type, T instance) {
        Map<Class<?>, Object> copy = new LinkedHashMap<>(services);
        copy.put(type, instance);
        return new ServiceRegistry(copy);
    }

    /** The service for {@code type}: exact registration first, else a unique assignable instance. */
    public <T> Optional<T> find(Class<T> type) {
        Object exact = services.get(type);
        if (exact != null) {
            return Optional.of(type.cast(exact));
        }
        Object found = null;
        for (Object candidate : services.values()) {
            if (type.isInstance(candidate)) {
                if (found != null && found != candidate) {
                    return Optional.empty();
                }
                found = candidate;
            }
        }
        return Optional.ofNullable(found).map(type::cast);
    }
}
