package org.smimegw.mailets.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeanSharedFileInputStreamTest {
    @TempDir
    Path dir;

    @Test
    void subStreamsReadTheirRangeWithMarkResetSkipAndPositions() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "0123456789abcdefghij");
        try (LeanSharedFileInputStream in = new LeanSharedFileInputStream(file.toFile(), 4)) {
            assertThat(in.read()).isEqualTo('0');
            assertThat(in.getPosition()).isEqualTo(1);
            InputStream sub = in.newStream(5, 15); // "56789abcde"
            assertThat(((LeanSharedFileInputStream) sub).getPosition()).isZero();
            byte[] b = new byte[3];
            assertThat(sub.read(b)).isEqualTo(3);
            assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("567");
            sub.mark(100);
            assertThat(sub.skip(4)).isEqualTo(4);
            assertThat((char) sub.read()).isEqualTo('c');
            sub.reset();
            assertThat(new String(sub.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("89abcde");
            assertThat(sub.read()).isEqualTo(-1);
            InputStream subOfSub = ((LeanSharedFileInputStream) sub).newStream(2, -1);
            assertThat(new String(subOfSub.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("789abcde");
            // the parent goes on where it was, the sub-streams did not move it
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("123456789abcdefghij");
            sub.close();
            subOfSub.close();
        }
    }

    @Test
    void closingTheFirstStreamLeavesSubStreamsReadable() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "hello world");
        LeanSharedFileInputStream in = new LeanSharedFileInputStream(file.toFile(), 1024);
        InputStream sub = in.newStream(6, -1);
        in.close();
        assertThat(new String(sub.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("world");
        sub.close();
    }

    @Test
    void closeFileClosesTheFileForEverySubStreamAtOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "hello world");
        LeanSharedFileInputStream in = new LeanSharedFileInputStream(file.toFile(), 4);
        InputStream sub = in.newStream(6, -1);
        assertThat(sub.read()).isEqualTo('w');
        in.closeFile();
        assertThatThrownBy(() -> sub.readAllBytes()).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aMessageParsedFromItReadsAsFromJakartasOwnStream() throws Exception {
        String raw = Messages.manyParts(300).replace("part 7\r\n", "part 7 \u00e9\u00e8\r\n");
        Path file = Files.write(dir.resolve("m.eml"), raw.getBytes(StandardCharsets.ISO_8859_1));
        Session session = Session.getInstance(new Properties());
        try (LeanSharedFileInputStream lean = new LeanSharedFileInputStream(file.toFile(), 16 * 1024);
             SharedFileInputStream jakarta = new SharedFileInputStream(file.toFile(), 16 * 1024)) {
            MimeMessage a = new MimeMessage(session, lean);
            MimeMessage b = new MimeMessage(session, jakarta);
            MimeMultipart ma = (MimeMultipart) a.getContent();
            MimeMultipart mb = (MimeMultipart) b.getContent();
            assertThat(ma.getCount()).isEqualTo(300).isEqualTo(mb.getCount());
            for (int i = 0; i < ma.getCount(); i++) {
                assertThat(bytes(ma.getBodyPart(i))).isEqualTo(bytes(mb.getBodyPart(i)));
            }
            ByteArrayOutputStream wa = new ByteArrayOutputStream();
            a.writeTo(wa);
            assertThat(wa.toByteArray()).isEqualTo(Files.readAllBytes(file));
        }
    }

    private static byte[] bytes(BodyPart part) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.writeTo(out);
        return out.toByteArray();
    }
}
