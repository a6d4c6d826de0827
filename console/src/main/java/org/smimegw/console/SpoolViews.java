package org.smimegw.console;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.delivery.DeliveryService;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolException;

/**
 * Spool entries ({@link SpoolAdmin.Item}) as the queue and quarantine endpoints return them: the envelope, why the
 * entry is where it is, the delivery schedule of a deferred one, and the message's header fields, never its body.
 */
final class SpoolViews {

    /**
     * One entry in a listing.
     *
     * @param sender      {@code <>} for the null sender; {@code null} when the envelope does not read (corrupt)
     * @param nextAttempt when delivery is tried again (a deferred OUTGOING entry), else {@code null}
     * @param lastReply   the last delivery attempt's reply, else {@code null}
     */
    record Entry(String id, String area, String received, String sender, List<String> recipients, String reason,
                 long size, String nextAttempt, String lastReply, int attempts) {
    }

    record HeaderField(String name, String value) {
    }

    record Detail(Entry mail, String client, String helo, String authenticatedUser, Map<String, String> attributes,
                  List<HeaderField> headers) {
    }

    private SpoolViews() {
    }

    static Entry entry(SpoolAdmin.Item item) {
        Envelope e = item.envelope().orElse(null);
        Map<String, String> a = e == null ? Map.of() : e.attributes();
        return new Entry(item.id(), item.area().directoryName(),
                e == null || e.receivedAt() == null ? null : e.receivedAt().toString(),
                e == null ? null : e.hasNullSender() ? "<>" : e.sender(),
                e == null ? List.of() : e.recipients(), item.reason(), item.size(),
                a.get(DeliveryService.ATTR_NEXT_ATTEMPT), a.get(DeliveryService.ATTR_LAST_ERROR),
                parseInt(a.get(DeliveryService.ATTR_ATTEMPTS)));
    }

    /** The entry with its attributes and its header section (read up to the empty line; the body is not returned). */
    static Detail detail(SpoolAdmin admin, SpoolAdmin.Item item) throws SpoolException, MessagingException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        admin.writeMessage(item, false, header);
        List<HeaderField> headers = new ArrayList<>();
        for (Header h : Collections.list(new InternetHeaders(new ByteArrayInputStream(header.toByteArray()))
                .getAllHeaders())) {
            headers.add(new HeaderField(h.getName(), h.getValue() == null ? "" : h.getValue().strip()));
        }
        Envelope e = item.envelope().orElse(null);
        Map<String, String> attributes = new LinkedHashMap<>(new TreeMap<>(e == null ? Map.of() : e.attributes()));
        return new Detail(entry(item), e == null ? null : e.clientAddress(), e == null ? null : e.clientHelo(),
                e == null ? null : e.authenticatedUser(), attributes, headers);
    }

    private static int parseInt(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
