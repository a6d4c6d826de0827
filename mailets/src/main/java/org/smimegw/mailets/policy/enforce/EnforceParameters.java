package org.smimegw.mailets.policy.enforce;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import jakarta.mail.MessagingException;

import org.apache.mailet.base.GenericMailet;
import org.smimegw.mailets.crypto.MessageFiles;

/** Init parameters of the enforcement mailets: unknown names and bad values are start-up errors naming them. */
final class EnforceParameters {

    private final GenericMailet mailet;

    EnforceParameters(GenericMailet mailet, Set<String> allowed) throws MessagingException {
        this.mailet = mailet;
        for (Iterator<String> names = mailet.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new MessagingException(mailet.getMailetName() + ": unknown parameter '" + name
                        + "', expected one of " + allowed.stream().sorted().toList());
            }
        }
    }

    String string(String name, String defaultValue) {
        String v = mailet.getInitParameter(name);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    <T> T parse(String name, String defaultValue, Function<String, T> parser) throws MessagingException {
        String v = string(name, defaultValue);
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new MessagingException(mailet.getMailetName() + ": bad value '" + v + "' for " + name + ": "
                    + e.getMessage());
        }
    }

    String choice(String name, String defaultValue, Set<String> values) throws MessagingException {
        return parse(name, defaultValue, v -> {
            String l = v.toLowerCase(Locale.ROOT);
            if (!values.contains(l)) {
                throw new IllegalArgumentException("expected one of " + values.stream().sorted().toList());
            }
            return l;
        });
    }

    boolean bool(String name, boolean defaultValue) throws MessagingException {
        return parse(name, Boolean.toString(defaultValue), v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        });
    }

    MessageFiles files() throws MessagingException {
        String dir = string("temporaryDirectory", null);
        int limit = parse("inMemoryLimit", Integer.toString(MessageFiles.DEFAULT_MEMORY_THRESHOLD),
                MessageFiles::parseMemoryThreshold);
        return new MessageFiles(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir), limit);
    }
}
