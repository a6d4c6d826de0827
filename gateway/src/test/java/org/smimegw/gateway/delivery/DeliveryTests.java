package org.smimegw.gateway.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/** Helpers the delivery tests share: waiting for a condition, reading a part of a DSN. */
final class DeliveryTests {
    private DeliveryTests() {
    }

    /** A condition polled by {@link #await}; may read the spool. */
    @FunctionalInterface
    interface Condition {
        boolean test() throws Exception;
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after {@code timeout}. */
    static void await(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** The text of part {@code index} of a multipart message (a DSN: 0 text, 1 delivery-status, 2 headers). */
    static String partText(MimeMessage dsn, int index) throws Exception {
        Multipart parts = (Multipart) dsn.getContent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.getBodyPart(index).getInputStream().transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
