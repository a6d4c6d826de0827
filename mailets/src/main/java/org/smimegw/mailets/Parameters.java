package org.smimegw.mailets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import jakarta.mail.MessagingException;

import org.apache.mailet.base.GenericMailet;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.MessageFiles;

/** Parses a mailet's init parameters into typed values; a bad value is a MessagingException naming the parameter. */
final class Parameters {

    private final GenericMailet mailet;

    Parameters(GenericMailet mailet) {
        this.mailet = mailet;
    }

    <T> T get(String name, String defaultValue, Function<String, T> parser) throws MessagingException {
        String raw = mailet.getInitParameter(name, defaultValue);
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new MessagingException(mailet.getMailetName() + ": bad value '" + raw + "' for parameter " + name
                    + ": " + e.getMessage());
        }
    }

    String string(String name, String defaultValue) {
        String v = mailet.getInitParameter(name, defaultValue);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    boolean bool(String name, boolean defaultValue) throws MessagingException {
        return get(name, Boolean.toString(defaultValue), v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        });
    }

    List<EncryptionAlgorithm> algorithms(String name, String defaultValue) throws MessagingException {
        return get(name, defaultValue, v -> Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank())
                .map(EncryptionAlgorithm::fromName).toList());
    }

    MessageFiles files() throws MessagingException {
        String dir = string("temporaryDirectory", null);
        int limit = get("inMemoryLimit", Integer.toString(MessageFiles.DEFAULT_MEMORY_THRESHOLD),
                MessageFiles::parseMemoryThreshold);
        return new MessageFiles(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir), limit);
    }

    static String addressOf(jakarta.mail.internet.MimeMessage message) {
        try {
            jakarta.mail.Address[] from = message.getFrom();
            if (from != null && from.length > 0 && from[0] instanceof jakarta.mail.internet.InternetAddress ia) {
                return ia.getAddress();
            }
        } catch (MessagingException e) {
            return null;
        }
        return null;
    }
}
