package org.smimegw.gateway.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

/**
 * Envelope ⇄ JSON ({@code <id>.env}), one line of UTF-8, on Jackson's streaming API (one factory, no data binding).
 *
 * <p>Format version 3 (written): {@code version, sender, mailParameters, recipients, recipientParameters,
 * clientAddress, clientHelo, authenticatedUser, receivedAt, receivedAtEpochNanos, attributes}.
 * {@code recipientParameters} maps a recipient to its RCPT TO parameters (version 3; earlier versions had none, and
 * the releases that wrote them read version 3 files too, skipping the field). {@code receivedAt} is ISO-8601 text, as
 * in version 1 (for people reading the file and for the releases before, which read later versions too);
 * {@code receivedAtEpochNanos} is the same instant as nanoseconds since 1970-01-01T00:00:00Z, which the reader
 * takes instead of parsing the text. It is left out for an instant outside its range (before 1677 or after 2262)
 * and for none ({@code "receivedAt":null}).
 *
 * <p>Reading accepts version 1 ({@code receivedAt} only), 2 (no {@code recipientParameters}) and 3, and any later
 * version by the
 * fields it knows: {@code receivedAtEpochNanos} when present, else {@code receivedAt}; unknown fields are skipped;
 * missing ones read as empty ({@code sender} {@code ""}, maps and lists empty, the rest {@code null}). Anything
 * else — truncated, not JSON, a list where a string belongs, a {@code null} inside a list or map, an unparsable
 * time — is an {@link IOException} that says what and where (line, column).
 */
final class EnvelopeCodec {
    static final int VERSION = 3;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final JsonFactory factory = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    /** The ISO-8601 text of the last second written: messages of one second share it (Instant.toString is slow). */
    private record SecondText(long epochSecond, String text) {
    }

    private volatile SecondText lastSecond = new SecondText(0, "1970-01-01T00:00:00");

    void write(Envelope e, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("sender", e.sender());
            writeMap(g, "mailParameters", e.mailParameters());
            g.writeArrayFieldStart("recipients");
            for (String r : e.recipients()) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("recipientParameters");
            for (Map.Entry<String, Map<String, String>> entry : e.recipientParameters().entrySet()) {
                writeMap(g, entry.getKey(), entry.getValue());
            }
            g.writeEndObject();
            g.writeStringField("clientAddress", e.clientAddress());
            g.writeStringField("clientHelo", e.clientHelo());
            g.writeStringField("authenticatedUser", e.authenticatedUser());
            writeReceivedAt(g, e.receivedAt());
            writeMap(g, "attributes", e.attributes());
            g.writeEndObject();
        }
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> entry : map.entrySet()) {
            g.writeStringField(entry.getKey(), entry.getValue());
        }
        g.writeEndObject();
    }

    private void writeReceivedAt(JsonGenerator g, Instant t) throws IOException {
        g.writeStringField("receivedAt", t == null ? null : isoText(t));
        if (t != null) {
            long seconds = t.getEpochSecond();
            // the range in which seconds * 1e9 + nano fits a long
            if (seconds >= Long.MIN_VALUE / NANOS_PER_SECOND && seconds < Long.MAX_VALUE / NANOS_PER_SECOND) {
                g.writeNumberField("receivedAtEpochNanos", seconds * NANOS_PER_SECOND + t.getNano());
            }
        }
    }

    /**
     * Exactly {@link Instant#toString()} (ISO-8601 in UTC, the fraction in groups of three digits, none for a whole
     * second), with the date and time of day formatted once per second.
     */
    String isoText(Instant t) {
        long second = t.getEpochSecond();
        SecondText cached = lastSecond;
        if (cached.epochSecond() != second) {
            String whole = Instant.ofEpochSecond(second).toString();
            if (whole.length() != 20) {
                return t.toString(); // a year outside 0000-9999
            }
            cached = new SecondText(second, whole.substring(0, 19));
            lastSecond = cached;
        }
        int nano = t.getNano();
        StringBuilder sb = new StringBuilder(30).append(cached.text());
        if (nano != 0) {
            sb.append('.');
            if (nano % 1_000_000 == 0) {
                appendDigits(sb, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                appendDigits(sb, nano / 1000, 6);
            } else {
                appendDigits(sb, nano, 9);
            }
        }
        return sb.append('Z').toString();
    }

    private static void appendDigits(StringBuilder sb, int value, int digits) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < digits; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    Envelope read(InputStream in) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            return read(p);
        }
    }

    Envelope read(byte[] json, int offset, int length) throws IOException {
        try (JsonParser p = factory.createParser(json, offset, length)) {
            return read(p);
        }
    }

    private static Envelope read(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new JsonParseException(p, "empty envelope");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "envelope is not a JSON object (found " + first.asString() + ")");
        }
        String sender = null;
        Map<String, String> mailParameters = Map.of();
        List<String> recipients = List.of();
        Map<String, Map<String, String>> recipientParameters = Map.of();
        String clientAddress = null;
        String clientHelo = null;
        String authenticatedUser = null;
        String receivedAtText = null;
        Instant receivedAt = null;
        boolean exactTime = false;
        Map<String, String> attributes = Map.of();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "sender" -> sender = text(p, name);
                case "mailParameters" -> mailParameters = map(p, name);
                case "recipients" -> recipients = list(p, name);
                case "recipientParameters" -> recipientParameters = mapOfMaps(p, name);
                case "clientAddress" -> clientAddress = text(p, name);
                case "clientHelo" -> clientHelo = text(p, name);
                case "authenticatedUser" -> authenticatedUser = text(p, name);
                case "receivedAt" -> receivedAtText = text(p, name);
                case "receivedAtEpochNanos" -> {
                    Instant exact = epochNanos(p);
                    if (exact != null) {
                        receivedAt = exact;
                        exactTime = true;
                    }
                }
                case "attributes" -> attributes = map(p, name);
                default -> p.skipChildren(); // "version" and fields of later versions
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "malformed envelope: expected a field name or '}'");
        }
        if (!exactTime) {
            receivedAt = isoInstant(p, receivedAtText);
        }
        return new Envelope(sender == null ? "" : sender, mailParameters, recipients, recipientParameters,
                clientAddress, clientHelo, authenticatedUser, receivedAt, attributes);
    }

    /** A string field; other scalars as their text (as the previous, data-binding reader took them); null stays. */
    private static String text(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != null && t.isScalarValue()) {
            return p.getText();
        }
        throw new JsonParseException(p, "malformed envelope: " + field + " must be a string, found "
                + (t == null ? "end of input" : t.asString() == null ? t.name() : t.asString()));
    }

    private static String element(JsonParser p, String field) throws IOException {
        String s = text(p, field);
        if (s == null) {
            throw new JsonParseException(p, "malformed envelope: null in " + field);
        }
        return s;
    }

    private static Map<String, String> map(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (t != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "malformed envelope: " + field + " must be an object");
        }
        Map<String, String> m = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            m.put(key, element(p, field));
        }
        return m;
    }

    private static Map<String, Map<String, String>> mapOfMaps(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (t != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "malformed envelope: " + field + " must be an object");
        }
        Map<String, Map<String, String>> m = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            m.put(key, map(p, field));
        }
        return m;
    }

    private static List<String> list(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new JsonParseException(p, "malformed envelope: " + field + " must be a list");
        }
        List<String> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            l.add(element(p, field));
        }
        return l;
    }

    private static Instant isoInstant(JsonParser p, String text) throws IOException {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new JsonParseException(p, "malformed envelope: receivedAt is not an ISO-8601 instant: " + text, e);
        }
    }

    private static Instant epochNanos(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new JsonParseException(p, "malformed envelope: receivedAtEpochNanos must be an integer");
        }
        long nanos = p.getLongValue(); // out of range: an InputCoercionException (an IOException) naming the value
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
