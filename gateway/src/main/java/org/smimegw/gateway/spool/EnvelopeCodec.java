package org.smimegw.gateway.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Envelope ⇄ JSON ({@code <id>.env}); {@code receivedAt} as ISO-8601 text, a format version for later changes. */
final class EnvelopeCodec {
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    record EnvelopeJson(int version, String sender, Map<String, String> mailParameters, List<String> recipients,
                        String clientAddress, String clientHelo, String authenticatedUser, String receivedAt,
                        Map<String, String> attributes) {
    }

    void write(Envelope e, OutputStream out) throws IOException {
        mapper.writeValue(out, new EnvelopeJson(1, e.sender(), e.mailParameters(), e.recipients(), e.clientAddress(),
                e.clientHelo(), e.authenticatedUser(), e.receivedAt() == null ? null : e.receivedAt().toString(),
                e.attributes()));
    }

    Envelope read(InputStream in) throws IOException {
        EnvelopeJson j = mapper.readValue(in, EnvelopeJson.class);
        return new Envelope(j.sender() == null ? "" : j.sender(), orEmpty(j.mailParameters()),
                j.recipients() == null ? List.of() : j.recipients(), j.clientAddress(), j.clientHelo(),
                j.authenticatedUser(), j.receivedAt() == null ? null : Instant.parse(j.receivedAt()),
                orEmpty(j.attributes()));
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
