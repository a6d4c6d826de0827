package org.smimegw.mailets.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

class MimeLimitsTest {
    private static final MimeLimits SMALL = new MimeLimits(10, 50, 4096);

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void depthCountsNestedEntitiesAndStopsAtTheLimit() throws Exception {
        assertThat(SMALL.check(parse(Messages.nested(10)))).isEmpty();
        assertThat(SMALL.check(parse(Messages.nested(11)))).hasValue(
                "MIME entities nested deeper than 10 levels (limit maxDepth)");
        // 5,000 levels: no recursion, no stack overflow, an answer
        assertThat(MimeLimits.defaults().check(parse(Messages.nested(5_000)))).hasValue(
                "MIME entities nested deeper than 100 levels (limit maxDepth)");
    }

    @Test
    void partsAreCountedAtEveryDepth() throws Exception {
        assertThat(SMALL.check(parse(Messages.manyParts(50)))).isEmpty();
        assertThat(SMALL.check(parse(Messages.manyParts(51)))).hasValue("more than 50 MIME parts (limit maxParts)");
        assertThat(MimeLimits.defaults().check(parse(Messages.manyParts(10_000)))).isEmpty();
        assertThat(MimeLimits.defaults().check(parse(Messages.manyParts(10_001)))).isPresent();
    }

    @Test
    void theHeaderSectionOfThePartsAndOfTheMessageIsLimited() throws Exception {
        assertThat(SMALL.check(parse(Messages.largePartHeader(3000)))).isEmpty();
        assertThat(SMALL.check(parse(Messages.largePartHeader(5000)))).hasValue(
                "a header section larger than 4096 bytes (limit maxHeaderBytes)");
        String bigTop = "Subject: x\r\n" + "X-Filler: 0123456789012345678901234567890123456789\r\n".repeat(100)
                + "\r\nbody\r\n";
        assertThat(SMALL.check(parse(bigTop))).hasValue("a header section larger than 4096 bytes (limit maxHeaderBytes)");
    }

    @Test
    void anEmbeddedMessageIsALevelAndItsPartsCount() throws Exception {
        String embedded = "From: a@example.com\r\nSubject: inner\r\nContent-Type: multipart/mixed; boundary=\"in\"\r\n\r\n"
                + "--in\r\nContent-Type: text/plain\r\n\r\ninner part\r\n--in--\r\n";
        String outer = "From: b@example.com\r\nSubject: outer\r\nContent-Type: multipart/mixed; boundary=\"out\"\r\n\r\n"
                + "--out\r\nContent-Type: message/rfc822\r\n\r\n" + embedded + "--out--\r\n";
        // the part (1), the message in it (2), the part of that message (3)
        assertThat(new MimeLimits(3, 50, 4096).check(parse(outer))).isEmpty();
        assertThat(new MimeLimits(2, 50, 4096).check(parse(outer))).isPresent();
    }

    @Test
    void aSinglePartMessageIsJudgedByItsHeaderWithoutReadingTheBody() throws Exception {
        String plain = "Subject: plain\r\nContent-Type: text/plain\r\n\r\n" + "--not-a-boundary\r\n".repeat(100);
        assertThat(SMALL.check(parse(plain))).isEmpty();
    }

    @Test
    void limitsBelowTheirMinimumAreRefused() {
        assertThatThrownBy(() -> new MimeLimits(0, 1, 1024)).hasMessageContaining("maxDepth");
        assertThatThrownBy(() -> new MimeLimits(1, 0, 1024)).hasMessageContaining("maxParts");
        assertThatThrownBy(() -> new MimeLimits(1, 1, 100)).hasMessageContaining("maxHeaderBytes");
    }
}
