package org.smimegw.mailets.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

class RawBodyMimeMessageTest {
    private static final Session SESSION = Session.getInstance(new Properties());

    private static RawBodyMimeMessage parse(String raw) throws Exception {
        return new RawBodyMimeMessage(SESSION, new jakarta.mail.util.SharedByteArrayInputStream(
                raw.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String written(RawBodyMimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String body(String raw) {
        return raw.substring(raw.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void aHeaderChangeOnADeeplyNestedMessageIsSavedWithoutWalkingItsParts() throws Exception {
        String raw = Messages.nested(5_000);
        RawBodyMimeMessage m = parse(raw);
        m.setHeader("X-Verdict", "checked");
        m.saveChanges(); // MimeMessage's own walks every part: StackOverflowError at this depth
        String out = written(m);
        assertThat(out).contains("X-Verdict: checked").contains("Message-ID: <nested-5000@example.com>");
        assertThat(body(out)).isEqualTo(body(raw));
    }

    @Test
    void theBodyIsWrittenAsItWasReadEvenWhereJakartaWouldReencodeIt() throws Exception {
        String raw = "Subject: 8bit\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "caf\u00c3\u00a9 with a line that is long enough to be folded by an encoder that wraps at 76 "
                + "characters\r\n";
        RawBodyMimeMessage m = new RawBodyMimeMessage(SESSION, new jakarta.mail.util.SharedByteArrayInputStream(
                raw.getBytes(StandardCharsets.ISO_8859_1)));
        m.setHeader("Subject", "changed");
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        String written = out.toString(StandardCharsets.ISO_8859_1);
        assertThat(written).contains("Subject: changed").doesNotContain("Content-Transfer-Encoding");
        assertThat(body(written)).isEqualTo(body(raw));
    }

    @Test
    void aReplacedContentOrAPartChangedThroughGetContentIsSavedTheUsualWay() throws Exception {
        RawBodyMimeMessage replaced = parse(Messages.manyParts(3));
        replaced.setText("new text");
        replaced.saveChanges();
        assertThat(written(replaced)).contains("new text").doesNotContain("part 1");

        RawBodyMimeMessage changedPart = parse(Messages.manyParts(3));
        MimeMultipart mp = (MimeMultipart) changedPart.getContent();
        ((MimeBodyPart) mp.getBodyPart(1)).setText("changed part");
        changedPart.saveChanges();
        assertThat(written(changedPart)).contains("changed part").doesNotContain("part 1\r\n");
        assertThat(changedPart.bodyUnchanged()).isFalse();
    }

    @Test
    void anExistingMessageIdIsKeptAndAMissingOneAdded() throws Exception {
        RawBodyMimeMessage with = parse(Messages.manyParts(1));
        with.saveChanges();
        assertThat(with.getMessageID()).isEqualTo("<parts-1@example.com>");
        RawBodyMimeMessage without = parse("Subject: none\r\n\r\nbody\r\n");
        without.saveChanges();
        assertThat(without.getMessageID()).isNotBlank();
        assertThat(without.getHeader("Date", null)).isNotNull();
    }
}
