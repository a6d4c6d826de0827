package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.activation.CommandMap;
import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

class CachingCommandMapTest {

    @Test
    void makesEachTypesHandlerOnceWhereTheDefaultMapMakesANewOneEachTime() {
        CachingCommandMap map = new CachingCommandMap();
        assertThat(CommandMap.getDefaultCommandMap().createDataContentHandler("multipart/mixed"))
                .isNotSameAs(CommandMap.getDefaultCommandMap().createDataContentHandler("multipart/mixed"));

        var first = map.createDataContentHandler("multipart/mixed");
        assertThat(first).isNotNull().isSameAs(map.createDataContentHandler("Multipart/Mixed"));
        assertThat(first.getClass()).isEqualTo(
                CommandMap.getDefaultCommandMap().createDataContentHandler("multipart/mixed").getClass());
        assertThat(map.createDataContentHandler("application/x-nothing-handles-this")).isNull();
        assertThat(map.createDataContentHandler("application/x-nothing-handles-this")).isNull();
    }

    @Test
    void aDataHandlerWithItWritesWhatOneWithTheDefaultWrites() throws Exception {
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart part = new MimeBodyPart();
        part.setText("hello", "us-ascii");
        multipart.addBodyPart(part);
        MessageFiles files = new MessageFiles();

        ByteArrayOutputStream cached = new ByteArrayOutputStream();
        files.dataHandler(multipart, multipart.getContentType()).writeTo(cached);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new DataHandler(multipart, multipart.getContentType()).writeTo(plain);

        assertThat(cached.toString(StandardCharsets.US_ASCII)).isEqualTo(plain.toString(StandardCharsets.US_ASCII))
                .contains("hello");
    }
}
