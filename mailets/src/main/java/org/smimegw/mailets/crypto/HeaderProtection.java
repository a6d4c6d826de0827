package org.smimegw.mailets.crypto;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;

/**
 * RFC 9788 header protection, both ways.
 * <p>
 * <b>Composing</b> ({@link #payloadLines}): the message's end-to-end header fields ({@link #PROTECTED_FIELDS}) are
 * copied into the header section of the Cryptographic Payload (the part inside the signature and/or encryption),
 * whose Content-Type gets {@code hp="clear"} (signed only) or {@code hp="cipher"} (encrypted). For {@code cipher}
 * the outer header section is reduced by the RFC's baseline Header Confidentiality Policy {@code hcp_baseline}
 * ({@link #obscureOuter}: {@code Subject} becomes {@code [...]}, {@code Keywords} and {@code Comments} are removed,
 * every other field stays) and each protected field that stays outside is recorded inside as
 * {@code HP-Outer: Name: value} (the value as it goes out), so a reader can tell what the composer hid from what
 * was changed on the way.
 * <p>
 * <b>Receiving</b> ({@link #read}, {@link #verdict}, {@link #deliveredLines}): a payload whose Content-Type carries
 * {@code hp="clear"} or {@code hp="cipher"} has protected header fields. Only for an authenticated payload (valid
 * signature, or AuthEnvelopedData) do they replace the outer ones, and only the end-to-end fields of
 * {@link #PROTECTED_FIELDS} (never {@code X-SMIME-*}, {@code Received} or anything a filter trusts). The outer
 * fields are compared with what the composer meant to send outside ({@code hp="clear"}: the protected fields
 * themselves; {@code hp="cipher"}: the {@code HP-Outer} records), and the names that differ are the verdict's
 * {@code mismatch (...)}.
 */
public final class HeaderProtection {

    /** The {@code hp} parameter's values. */
    public enum Mode {
        /** Signed only: the protected fields are integrity-protected, not confidential. */
        CLEAR,
        /** Encrypted (signed or not): the outer header section is reduced by hcp_baseline. */
        CIPHER;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Mode> ofValue(String value) {
            if (value == null) {
                return Optional.empty();
            }
            String v = value.trim().toLowerCase(Locale.ROOT);
            return v.equals("clear") ? Optional.of(CLEAR) : v.equals("cipher") ? Optional.of(CIPHER) : Optional.empty();
        }
    }

    /** The verdict values written in {@code X-SMIME-Header-Protection}. */
    public static final String OK = "ok";
    public static final String NONE = "none";
    public static final String UNAUTHENTICATED = "unauthenticated";
    public static final String MISMATCH = "mismatch";

    /**
     * The end-to-end header fields: copied into the payload when composing, and the only fields a protected header
     * section may deliver (replacing the outer ones of the same names).
     */
    public static final List<String> PROTECTED_FIELDS = List.of("From", "Sender", "Reply-To", "To", "Cc", "Subject",
            "Date", "Message-ID", "In-Reply-To", "References", "Keywords", "Comments", "Mail-Followup-To",
            "Mail-Reply-To", "Organization", "User-Agent");

    /** The replacement hcp_baseline puts in the outer Subject. */
    public static final String OBSCURED_SUBJECT = "[...]";

    static final String HP_OUTER = "HP-Outer";
    private static final Set<String> PROTECTED = lowerCase(PROTECTED_FIELDS);
    /** Fields hcp_baseline removes from the outer header section (no HP-Outer record then). */
    private static final Set<String> REMOVED_OUTSIDE = Set.of("keywords", "comments");
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");

    private HeaderProtection() {
    }

    /** One header field as written: its name and raw (possibly folded) value. */
    public record Field(String name, String value) {
        String line() {
            return name + ": " + value;
        }
    }

    /**
     * What a payload's header section says about header protection.
     *
     * @param mode      the hp parameter
     * @param fields    the protected fields (every non-structural field but HP-Outer), in order
     * @param hpOuter   the HP-Outer records (cipher): what the composer sent outside
     */
    public record Payload(Mode mode, List<Field> fields, List<Field> hpOuter) {
        public Payload {
            fields = List.copyOf(fields);
            hpOuter = List.copyOf(hpOuter);
        }

        /** The values of a protected field, in order (From: normally one). */
        public String[] values(String name) {
            return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value)
                    .toArray(String[]::new);
        }
    }

    // ---- composing ----

    /**
     * The header lines to write into the payload before its Content-* fields: the message's protected fields as
     * they are and, for {@link Mode#CIPHER}, one HP-Outer record for each of them that stays outside (with the
     * value hcp_baseline leaves there).
     */
    static List<String> payloadLines(MimeMessage message, Mode mode) throws MessagingException {
        List<Field> fields = protectedFields(message.getAllHeaderLines());
        List<String> lines = new ArrayList<>();
        fields.forEach(f -> lines.add(f.line()));
        if (mode == Mode.CIPHER) {
            for (Field f : fields) {
                baseline(f).ifPresent(outer -> lines.add(HP_OUTER + ": " + outer.line()));
            }
        }
        return lines;
    }

    /**
     * Gives a message without {@code Date} or {@code Message-ID} one now, before its fields are copied into a
     * payload: the outer header section would otherwise get them only when it is saved, and differ from the
     * protected copy. The Message-ID's right side is the From domain (else {@code localhost}).
     */
    static void completeOrigin(MimeMessage message) throws MessagingException {
        if (message.getHeader("Date") == null) {
            message.setSentDate(new java.util.Date());
        }
        if (message.getHeader("Message-ID") == null) {
            String domain = "localhost";
            jakarta.mail.Address[] from = message.getFrom();
            if (from != null && from.length > 0 && from[0] instanceof jakarta.mail.internet.InternetAddress a
                    && a.getAddress() != null && a.getAddress().lastIndexOf('@') > 0) {
                domain = a.getAddress().substring(a.getAddress().lastIndexOf('@') + 1);
            }
            message.setHeader("Message-ID", "<" + java.util.UUID.randomUUID() + "@" + domain + ">");
        }
    }

    /** The Content-Type value with {@code hp} set to {@code mode}. */
    static String withHp(String contentType, Mode mode) throws ParseException {
        ContentType type = new ContentType(contentType == null ? "text/plain; charset=us-ascii" : contentType);
        type.setParameter("hp", mode.value());
        return type.toString();
    }

    /** Applies hcp_baseline to an outer header section: Subject becomes [...], Keywords and Comments go. */
    public static void obscureOuter(MimeMessage outer) throws MessagingException {
        if (outer.getHeader("Subject") != null) {
            outer.setHeader("Subject", OBSCURED_SUBJECT);
        }
        outer.removeHeader("Keywords");
        outer.removeHeader("Comments");
    }

    /** hcp_baseline for one field: the value left outside, or empty when the field is removed. */
    private static Optional<Field> baseline(Field f) {
        String name = f.name().toLowerCase(Locale.ROOT);
        if (REMOVED_OUTSIDE.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(name.equals("subject") ? new Field(f.name(), OBSCURED_SUBJECT) : f);
    }

    // ---- receiving ----

    /** The payload's header protection, if its Content-Type carries a known {@code hp} parameter. */
    public static Optional<Payload> read(Part payload) throws MessagingException {
        if (!(payload instanceof jakarta.mail.internet.MimePart mime)) {
            return Optional.empty();
        }
        return read(mime.getAllHeaderLines());
    }

    /** As {@link #read(Part)}, for a header section read on its own (opaque signed-data's content). */
    public static Optional<Payload> read(InternetHeaders headers) {
        return read(headers.getAllHeaderLines());
    }

    private static Optional<Payload> read(Enumeration<String> lines) {
        List<Field> fields = new ArrayList<>();
        List<Field> hpOuter = new ArrayList<>();
        Optional<Mode> mode = Optional.empty();
        boolean typeSeen = false;
        while (lines.hasMoreElements()) {
            Optional<Field> f = field(lines.nextElement());
            if (f.isEmpty()) {
                continue;
            }
            String name = f.get().name();
            if (name.equalsIgnoreCase("Content-Type")) {
                if (typeSeen) {
                    return Optional.empty();
                }
                typeSeen = true;
                mode = hpOf(f.get().value());
            } else if (name.equalsIgnoreCase(HP_OUTER)) {
                field(MimeUtility.unfold(f.get().value()).trim()).ifPresent(hpOuter::add);
            } else if (!isStructural(name)) {
                fields.add(f.get());
            }
        }
        return mode.map(m -> new Payload(m, fields, m == Mode.CIPHER ? hpOuter : List.of()));
    }

    private static Optional<Mode> hpOf(String contentType) {
        try {
            return Mode.ofValue(new ContentType(MimeUtility.unfold(contentType)).getParameter("hp"));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The verdict for delivering {@code payload}'s protected fields in place of {@code outer}'s: {@code ok}, or
     * {@code mismatch (Name, ...)} naming the end-to-end fields whose outer value is not what the composer sent
     * outside.
     */
    public static String verdict(Payload payload, Enumeration<String> outerLines) {
        Map<String, List<String>> expected = byName(payload.mode() == Mode.CIPHER ? payload.hpOuter()
                : payload.fields().stream().filter(f -> PROTECTED.contains(lower(f.name()))).toList());
        Map<String, List<String>> actual = byName(protectedFields(outerLines));
        Set<String> names = new LinkedHashSet<>(expected.keySet());
        names.addAll(actual.keySet());
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            if (!expected.getOrDefault(name, List.of()).equals(actual.getOrDefault(name, List.of()))) {
                differing.add(canonicalName(name));
            }
        }
        return differing.isEmpty() ? OK : MISMATCH + " (" + String.join(", ", differing) + ")";
    }

    /**
     * Whether an outer field gives way to the protected header section: every end-to-end field does (the protected
     * section is the one that counts, RFC 9788 section 4), whether or not the payload has one of its name.
     */
    public static boolean replacedOutside(String name) {
        return PROTECTED.contains(lower(name));
    }

    /** The protected fields that are delivered: the payload's end-to-end fields, as header lines. */
    public static List<String> deliveredLines(Payload payload) {
        return payload.fields().stream().filter(f -> PROTECTED.contains(lower(f.name()))).map(Field::line).toList();
    }

    /**
     * Replaces {@code message}'s end-to-end header fields by the payload's (the body is not touched), for a
     * payload a valid signature covers. Returns the verdict, computed against the header section before.
     */
    public static String promote(MimeMessage message, Payload payload) throws MessagingException {
        String verdict = verdict(payload, message.getAllHeaderLines());
        for (String name : PROTECTED_FIELDS) {
            message.removeHeader(name);
        }
        for (String line : deliveredLines(payload)) {
            message.addHeaderLine(line);
        }
        return verdict;
    }

    // ---- helpers ----

    private static List<Field> protectedFields(Enumeration<String> lines) {
        List<Field> fields = new ArrayList<>();
        while (lines.hasMoreElements()) {
            field(lines.nextElement()).filter(f -> PROTECTED.contains(lower(f.name()))).ifPresent(fields::add);
        }
        return fields;
    }

    private static Map<String, List<String>> byName(List<Field> fields) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Field f : fields) {
            map.computeIfAbsent(lower(f.name()), k -> new ArrayList<>()).add(normalised(f.value()));
        }
        return map;
    }

    /** A value compared without its folding: unfolded, whitespace runs as one space, trimmed. */
    private static String normalised(String value) {
        return MimeUtility.unfold(value).replaceAll("\\s+", " ").trim();
    }

    private static Optional<Field> field(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String name = line.substring(0, colon).stripTrailing();
        if (!FIELD_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String value = line.substring(colon + 1);
        return Optional.of(new Field(name, value.startsWith(" ") ? value.substring(1) : value));
    }

    private static boolean isStructural(String name) {
        String n = lower(name);
        return n.startsWith("content-") || n.equals("mime-version");
    }

    private static String canonicalName(String lowerName) {
        return PROTECTED_FIELDS.stream().filter(n -> n.equalsIgnoreCase(lowerName)).findFirst().orElse(lowerName);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Set<String> lowerCase(List<String> names) {
        Set<String> set = new LinkedHashSet<>();
        names.forEach(n -> set.add(lower(n)));
        return Set.copyOf(set);
    }
}
