package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeCodecTest {
    private final EnvelopeCodec codec = new EnvelopeCodec();

    @TempDir
    Path tmp;

    private static Envelope full() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("attempts", "2");
        attributes.put("lastError", "451 4.3.0 \"try later\"\\ \n\tsecond line\u0000\u001f");
        attributes.put("gr\u00fc\u00dfe", "\u2603 \uD83D\uDE00 \u4e2d\u6587");
        attributes.put("", "empty key");
        attributes.put("empty value", "");
        return new Envelope("s\u00e9nder@b\u00fccher.example", Map.of("BODY", "8BITMIME", "SIZE", "1234", "SMTPUTF8", ""),
                List.of("b@example.com", "\u00fcser@b\u00fccher.example", "c@example.com", "b@example.com"),
                Map.of("b@example.com", Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;b+2B1@example.com"),
                        "c@example.com", Map.of("NOTIFY", "NEVER")),
                "2001:db8::7", "client.example", "alice@example.org",
                Instant.parse("2026-11-28T09:00:00.123456789Z"), attributes);
    }

    private byte[] write(Envelope e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(e, out);
        return out.toByteArray();
    }

    private Envelope roundTrip(Envelope e) throws IOException {
        byte[] json = write(e);
        Envelope viaStream = codec.read(new ByteArrayInputStream(json));
        Envelope viaBytes = codec.read(json, 0, json.length);
        assertThat(viaBytes).isEqualTo(viaStream);
        return viaStream;
    }

    @Test
    void everyFieldRoundTripsIncludingUnicodeControlCharactersAndEmptyValues() throws IOException {
        Envelope e = full();
        assertThat(roundTrip(e)).isEqualTo(e);
    }

    @Test
    void nullAndEmptyFieldsRoundTrip() throws IOException {
        Envelope minimal = new Envelope("", Map.of(), List.of(), null, null, null, null, Map.of());
        assertThat(roundTrip(minimal)).isEqualTo(minimal);
        Envelope emptyStrings = new Envelope("", Map.of("", ""), List.of(""), "", "", "", Instant.EPOCH, Map.of("", ""));
        assertThat(roundTrip(emptyStrings)).isEqualTo(emptyStrings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2026-01-02T03:04:05.678901Z",
            "2262-04-11T23:47:15.999999999Z", "2262-04-11T23:47:16Z", "1677-09-21T00:12:44Z",
            "1677-09-21T00:12:43.999999999Z", "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z"})
    void receivedAtIsExactToTheNanosecondOverTheWholeRangeOfInstant(String instant) throws IOException {
        Envelope e = new Envelope("a@example.org", Map.of(), List.of("b@example.com"), "192.0.2.1", "h", null,
                Instant.parse(instant), Map.of());
        assertThat(roundTrip(e).receivedAt()).isEqualTo(Instant.parse(instant));
    }

    @Test
    void writesVersion3OnOneHumanReadableUtf8LineWithTheTimeAlsoAsEpochNanoseconds() throws IOException {
        Envelope e = new Envelope("", Map.of("RET", "HDRS"), List.of("x@example.com"),
                Map.of("x@example.com", Map.of("NOTIFY", "NEVER")), "::1", "h", null,
                Instant.parse("2026-01-02T03:04:05.678901Z"), Map.of("note", "gr\u00fc\u00dfe"));
        String json = new String(write(e), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"version\":3,\"sender\":\"\",\"mailParameters\":{\"RET\":\"HDRS\"},"
                + "\"recipients\":[\"x@example.com\"],\"recipientParameters\":{\"x@example.com\":{\"NOTIFY\":\"NEVER\"}},"
                + "\"clientAddress\":\"::1\",\"clientHelo\":\"h\","
                + "\"authenticatedUser\":null,\"receivedAt\":\"2026-01-02T03:04:05.678901Z\","
                + "\"receivedAtEpochNanos\":1767323045678901000,\"attributes\":{\"note\":\"gr\u00fc\u00dfe\"}}");
        // an instant beyond the range of epoch nanoseconds, and none at all, have the ISO-8601 field only
        Envelope far = new Envelope("", Map.of(), List.of(), null, null, null, Instant.parse("3000-01-01T00:00:00Z"), Map.of());
        assertThat(new String(write(far), StandardCharsets.UTF_8)).contains("\"receivedAt\":\"3000-01-01T00:00:00Z\"")
                .doesNotContain("EpochNanos");
        Envelope none = new Envelope("", Map.of(), List.of(), null, null, null, null, Map.of());
        assertThat(new String(write(none), StandardCharsets.UTF_8)).contains("\"receivedAt\":null")
                .doesNotContain("EpochNanos");
    }

    @Test
    void theIsoTextIsExactlyInstantToString() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261128);
        List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX,
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.1Z"), Instant.parse("2026-11-28T09:00:00.000001Z"),
                Instant.parse("2026-11-28T09:00:00.000000001Z"), Instant.parse("2026-11-28T09:00:00.010Z")));
        Instant base = Instant.parse("2026-11-28T09:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            // runs within one second (the cached part), whole seconds, millis, micros, nanos, and far-off times
            Instant t = switch (i % 5) {
                case 0 -> base.plusSeconds(i / 50);
                case 1 -> base.plusSeconds(i / 50).plusMillis(random.nextInt(1000));
                case 2 -> base.plusSeconds(i / 50).plusNanos(random.nextInt(1_000_000) * 1000L);
                case 3 -> base.plusSeconds(i / 50).plusNanos(random.nextInt(1_000_000_000));
                default -> Instant.ofEpochSecond(random.nextLong(-400_000_000_000L, 400_000_000_000L),
                        random.nextInt(1_000_000_000));
            };
            instants.add(t);
        }
        for (Instant t : instants) {
            assertThat(codec.isoText(t)).as("%s", t).isEqualTo(t.toString());
        }
    }

    @Test
    void theEpochNanosecondsAreTakenOverTheTextWhichIsThenNeitherParsedNorChecked() throws IOException {
        assertThat(read("{\"receivedAt\":\"not a time\",\"receivedAtEpochNanos\":1000000001}").receivedAt())
                .isEqualTo(Instant.parse("1970-01-01T00:00:01.000000001Z"));
        assertThat(read("{\"receivedAtEpochNanos\":1000000001,\"receivedAt\":\"2000-01-01T00:00:00Z\"}").receivedAt())
                .isEqualTo(Instant.parse("1970-01-01T00:00:01.000000001Z"));
        assertThat(read("{\"receivedAtEpochNanos\":null,\"receivedAt\":\"2000-01-01T00:00:00Z\"}").receivedAt())
                .isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    }

    @Test
    void theReleasesBeforeReadVersion3WithEveryFieldTheyKnow() throws IOException {
        // going back after an upgrade: the data-binding reader of version 1 ignores receivedAtEpochNanos and
        // recipientParameters (as the streaming reader of version 2 skips every field it does not know)
        for (Envelope e : List.of(full(), new Envelope("", Map.of(), List.of("x@example.com"), null, null, null, null,
                Map.of()))) {
            assertThat(PreviousRelease.read(write(e))).isEqualTo(new Envelope(e.sender(), e.mailParameters(),
                    e.recipients(), e.clientAddress(), e.clientHelo(), e.authenticatedUser(), e.receivedAt(),
                    e.attributes()));
        }
    }

    @Test
    void readsWhatThePreviousReleaseWroteWithItsDataBindingWriter() throws IOException {
        for (Envelope e : List.of(full().withRecipients(List.of("c@example.com", "x@example.com")),
                new Envelope("", Map.of(), List.of("x@example.com"), null, null, null, null, Map.of()),
                full().withRecipients(List.of()))) {
            e = new Envelope(e.sender(), e.mailParameters(), e.recipients(), e.clientAddress(), e.clientHelo(),
                    e.authenticatedUser(), e.receivedAt(), e.attributes()); // version 1 had no RCPT parameters
            byte[] v1 = PreviousRelease.write(e);
            assertThat(new String(v1, StandardCharsets.UTF_8)).startsWith("{\"version\":1,");
            assertThat(codec.read(new ByteArrayInputStream(v1))).isEqualTo(e);
            assertThat(codec.read(v1, 0, v1.length)).isEqualTo(e);
        }
    }

    @Test
    void aSpoolWrittenByVersion1IsReadExactlyAndRewrittenAsVersion3() throws Exception {
        // incoming/*.env and *.eml stored by FileSpool of commit 07e7002 (format version 1), checked in
        Path resources = Paths.get(getClass().getResource("v1-spool/incoming").toURI());
        Path root = tmp.resolve("spool");
        Files.createDirectories(root.resolve("incoming"));
        try (Stream<Path> files = Files.list(resources)) {
            for (Path f : files.toList()) {
                Files.copy(f, root.resolve("incoming").resolve(f.getFileName()));
            }
        }
        FileSpool spool = new FileSpool(root, Clock.systemUTC(), new MetricRegistry());
        List<SpoolEntry> entries = spool.list(SpoolArea.INCOMING);
        assertThat(entries).extracting(SpoolEntry::id).containsExactly("01A221FF1EAE00000068175E",
                "01A221FF1F20000001A2A9A0", "01A221FF1F27000002395253");

        Envelope first = entries.get(0).envelope();
        assertThat(first.sender()).isEqualTo("s\u00e9nder@example.org");
        assertThat(first.mailParameters()).isEqualTo(Map.of("BODY", "8BITMIME", "SIZE", "1234", "SMTPUTF8", ""));
        assertThat(first.recipients()).containsExactly("b@example.com", "\u00fcser@b\u00fccher.example", "c@example.com");
        assertThat(first.clientAddress()).isEqualTo("192.0.2.7");
        assertThat(first.clientHelo()).isEqualTo("client.example");
        assertThat(first.authenticatedUser()).isEqualTo("alice");
        assertThat(first.receivedAt()).isEqualTo(Instant.parse("2026-11-28T09:00:00.123456789Z"));
        assertThat(first.attributes()).isEqualTo(Map.of("attempts", "2",
                "lastError", "451 4.3.0 \"try later\"\nsecond line", "note", "gr\u00fc\u00dfe \u2603 \uD83D\uDE00"));
        assertThat(entries.get(1).envelope()).isEqualTo(
                new Envelope("", Map.of(), List.of("x@example.com"), null, null, null, null, Map.of()));
        assertThat(entries.get(2).envelope()).isEqualTo(new Envelope("bounce@example.org", Map.of(),
                List.of("y@example.com"), "::1", "h", null, Instant.parse("2026-01-02T03:04:05.678901Z"), Map.of()));

        // the way through the pipeline: open, store into OUTGOING (rewritten as version 3), delete from INCOMING
        for (SpoolEntry in : entries) {
            SpoolEntry out;
            try (SpooledMimeMessage m = (SpooledMimeMessage) spool.open(in)) {
                assertThat(m.getSubject()).isEqualTo("written by the v1 release");
                out = spool.store(SpoolArea.OUTGOING, in.envelope(), m);
            }
            spool.delete(in);
            assertThat(Files.readString(root.resolve("outgoing").resolve(out.id() + ".env"))).startsWith("{\"version\":3,");
            assertThat(new FileSpool(root, Clock.systemUTC(), new MetricRegistry()).find(SpoolArea.OUTGOING, out.id())
                    .orElseThrow().envelope()).isEqualTo(in.envelope());
        }
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void aSpoolWrittenByVersion2IsReadExactlyAndKeepsItsParametersWhenRewrittenAsVersion3() throws Exception {
        // incoming/ and outgoing/ entries stored by FileSpool before RCPT TO parameters were kept (format version 2)
        Path root = tmp.resolve("spool");
        for (String area : List.of("incoming", "outgoing")) {
            Path resources = Paths.get(getClass().getResource("v2-spool/" + area).toURI());
            Files.createDirectories(root.resolve(area));
            try (Stream<Path> files = Files.list(resources)) {
                for (Path f : files.toList()) {
                    Files.copy(f, root.resolve(area).resolve(f.getFileName()));
                }
            }
        }
        FileSpool spool = new FileSpool(root, Clock.systemUTC(), new MetricRegistry());
        SpoolEntry outgoing = spool.list(SpoolArea.OUTGOING).get(0);
        Envelope expected = new Envelope("alice@example.org", Map.of("BODY", "8BITMIME", "ENVID", "env-42", "RET", "HDRS"),
                List.of("bob@remote.test", "carol@remote.test"), "192.0.2.7", "client.example", "alice",
                Instant.parse("2026-11-28T09:00:00.123456789Z"), Map.of("delivery.queuedAt", "2026-11-28T09:00:01Z",
                "delivery.attempts", "1", "delivery.nextAttempt", "2026-11-28T09:01:01Z",
                "delivery.lastError", "4.2.1 451 4.2.1 mailbox busy"));
        assertThat(outgoing.envelope()).isEqualTo(expected);
        assertThat(spool.list(SpoolArea.INCOMING).get(0).envelope()).isEqualTo(new Envelope("", Map.of(),
                List.of("alice@example.org"), "127.0.0.1", "gw.test", null, Instant.parse("2026-11-28T09:00:02Z"),
                Map.of()));

        // delivery rewrites the envelope after an attempt: as version 3, every field kept
        SpoolEntry updated = spool.updateEnvelope(outgoing, outgoing.envelope().withRecipients(List.of("carol@remote.test")));
        assertThat(Files.readString(root.resolve("outgoing").resolve(updated.id() + ".env"))).startsWith("{\"version\":3,");
        assertThat(new FileSpool(root, Clock.systemUTC(), new MetricRegistry()).find(SpoolArea.OUTGOING, updated.id())
                .orElseThrow().envelope()).isEqualTo(expected.withRecipients(List.of("carol@remote.test")));
    }

    @Test
    void unknownFieldsOfAnyShapeAreIgnoredAndMissingOnesReadAsEmpty() throws IOException {
        String json = "{\"version\":3,\"future\":{\"nested\":[1,{\"a\":null}],\"x\":\"y\"},\"sender\":\"a@example.org\","
                + "\"recipients\":[\"b@example.com\"],\"alsoNew\":[[],{}],\"receivedAtEpochNanos\":-1,\"last\":true}";
        assertThat(read(json)).isEqualTo(new Envelope("a@example.org", Map.of(), List.of("b@example.com"), null, null,
                null, Instant.parse("1969-12-31T23:59:59.999999999Z"), Map.of()));
        assertThat(read("{}")).isEqualTo(new Envelope("", Map.of(), List.of(), null, null, null, null, Map.of()));
        // scalars where strings belong read as their text, as the data-binding reader of version 1 did
        assertThat(read("{\"attributes\":{\"attempts\":3,\"held\":true},\"clientHelo\":42}").attributes())
                .isEqualTo(Map.of("attempts", "3", "held", "true"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "\"text\"", "null", "{", "{\"sender\":", "{\"sender\":\"a@example.org\"",
            "{\"recipients\":[\"b@example.com\",", "{\"recipients\":[\"b@example.com\" \"c@example.com\"]}",
            "{\"recipients\":\"b@example.com\"}", "{\"recipients\":[null]}", "{\"recipients\":[[\"b\"]]}",
            "{\"attributes\":[]}", "{\"attributes\":{\"a\":null}}", "{\"attributes\":{\"a\":{}}}",
            "{\"recipientParameters\":[]}", "{\"recipientParameters\":{\"a\":\"NOTIFY\"}}",
            "{\"recipientParameters\":{\"a\":{\"NOTIFY\":null}}}", "{\"recipientParameters\":{\"a\":{\"N\":[]}}}",
            "{\"sender\":{}}", "{\"sender\":[\"a\"]}", "{\"receivedAt\":\"yesterday\"}", "{\"receivedAt\":12}",
            "{\"receivedAtEpochNanos\":\"12\"}", "{\"receivedAtEpochNanos\":1.5}",
            "{\"receivedAtEpochNanos\":99999999999999999999}", "{sender:\"a\"}", "{\"sender\":\"a\",}", "\u0000\u0001"})
    void malformedOrTruncatedEnvelopesAreIOExceptionsNotRuntimeExceptions(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(IOException.class);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.read(bytes, 0, bytes.length)).isInstanceOf(IOException.class);
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThatThrownBy(() -> read("")).hasMessageContaining("empty envelope");
        assertThatThrownBy(() -> read("[]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> read("{\"recipients\":[null]}")).hasMessageContaining("null in recipients");
        assertThatThrownBy(() -> read("{\"receivedAt\":\"yesterday\"}")).hasMessageContaining("receivedAt")
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> read("{\"sender\":\"a@exa")).hasMessageContaining("end-of-input");
    }

    @Test
    void aTruncatedEnvelopeFileIsASpoolExceptionNamingTheFile() throws Exception {
        Path root = tmp.resolve("spool");
        FileSpool spool = new FileSpool(root, Clock.systemUTC(), new MetricRegistry());
        SpoolEntry e = spool.store(SpoolArea.INCOMING, full(),
                new ByteArrayInputStream("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
        Path env = root.resolve("incoming").resolve(e.id() + ".env");
        byte[] whole = Files.readAllBytes(env);
        for (int cut : new int[] {0, 1, whole.length / 2, whole.length - 1}) {
            Files.write(env, java.util.Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> spool.find(SpoolArea.INCOMING, e.id())).isInstanceOf(SpoolException.class)
                    .hasMessageContaining(env.toString());
        }
        Files.write(env, whole);
        assertThat(spool.find(SpoolArea.INCOMING, e.id()).orElseThrow().envelope()).isEqualTo(full());
    }

    private Envelope read(String json) throws IOException {
        try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
            return codec.read(in);
        }
    }

    /** The envelope codec of the previous release (format version 1, Jackson data binding), kept to test upgrades. */
    private static final class PreviousRelease {
        private static final ObjectMapper MAPPER = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS);

        record EnvelopeJson(int version, String sender, Map<String, String> mailParameters, List<String> recipients,
                            String clientAddress, String clientHelo, String authenticatedUser, String receivedAt,
                            Map<String, String> attributes) {
        }

        static byte[] write(Envelope e) throws IOException {
            return MAPPER.writeValueAsBytes(new EnvelopeJson(1, e.sender(), e.mailParameters(), e.recipients(),
                    e.clientAddress(), e.clientHelo(), e.authenticatedUser(),
                    e.receivedAt() == null ? null : e.receivedAt().toString(), e.attributes()));
        }

        static Envelope read(byte[] json) throws IOException {
            EnvelopeJson j = MAPPER.readValue(json, EnvelopeJson.class);
            return new Envelope(j.sender() == null ? "" : j.sender(), j.mailParameters() == null ? Map.of() : j.mailParameters(),
                    j.recipients() == null ? List.of() : j.recipients(), j.clientAddress(), j.clientHelo(),
                    j.authenticatedUser(), j.receivedAt() == null ? null : Instant.parse(j.receivedAt()),
                    j.attributes() == null ? Map.of() : j.attributes());
        }
    }
}
