package org.smimegw.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** Turns Jackson's exceptions into one-line reasons an admin can act on. */
final class ConfigErrors {
    private ConfigErrors() {
    }

    static String reason(JsonMappingException e) {
        String key = keyPath(e.getPath());
        String where = key.isEmpty() ? "" : key + ": ";
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = keyPath(e.getPath().subList(0, Math.max(0, e.getPath().size() - 1)));
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "unknown key '" + u.getPropertyName() + "'" + (parent.isEmpty() ? "" : " in " + parent)
                    + (known.isEmpty() ? "" : " (known keys: " + known + ")");
        }
        if (e instanceof InvalidFormatException f) {
            return where + "'" + f.getValue() + "' is not " + describe(f.getTargetType());
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return withKey(where, v.getCause().getMessage());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + "expected " + describe(m.getTargetType());
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return withKey(where, cause.getMessage());
        }
        return where + firstLine(e.getOriginalMessage());
    }

    /**
     * A section's own validation message usually names its key already ("smtp.port: must be 0..65535",
     * "pipeline.workers must be at least 1"); then
     * it is used as it is, else prefixed with the section's key path.
     */
    private static String withKey(String where, String message) {
        if (message == null) {
            return where + "invalid value";
        }
        return namedKey(message).isPresent() ? message : where + message;
    }

    /**
     * The JSON pointer of the dotted key a message starts with ("smtp.tls.certificate: ..." gives
     * {@code /smtp/tls/certificate}), if it starts with one.
     */
    static java.util.Optional<String> namedKey(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^([A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*|\\[\\d+\\])+)[: ]").matcher(message);
        if (!m.find()) {
            return java.util.Optional.empty();
        }
        String pointer = "/" + m.group(1).replaceAll("\\[(\\d+)\\]", ".$1").replace('.', '/');
        return java.util.Optional.of(pointer);
    }

    static String syntaxReason(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return "YAML syntax error: " + firstLine(message);
    }

    /** The JSON pointer of a Jackson reference path, e.g. {@code /smtp/auth/users/0/name}. */
    static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            out.append('/');
            if (ref.getFieldName() != null) {
                out.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                out.append(ref.getIndex());
            }
        }
        return out.toString();
    }

    static String keyPath(List<JsonMappingException.Reference> path) {
        return new ConfigProblem(pointer(path), "").keyPath();
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                values.append(values.isEmpty() ? "" : ", ").append(c);
            }
            return "one of " + values;
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isRecord() || type.getPackageName().startsWith("org.smimegw")) {
            return "a section (key: value lines)";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
