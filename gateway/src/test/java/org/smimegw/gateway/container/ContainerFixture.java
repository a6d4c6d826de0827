package org.smimegw.gateway.container;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.codahale.metrics.MetricRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;

import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolEntry;

/** Builds a context, loader and mails for container tests; one per test. */
final class ContainerFixture {
    final Path directory;
    final FileSpool spool;
    final Recorder recorder = new Recorder();
    final MetricRegistry metrics = new MetricRegistry();
    final List<String> bounces = new CopyOnWriteArrayList<>();
    final List<SpoolEntry> injected = new CopyOnWriteArrayList<>();
    final GatewayMailetContext context;
    final MailetContainerLoader loader;
    final MailScratch scratch;

    ContainerFixture(Path directory) throws IOException {
        this.directory = directory;
        this.spool = new FileSpool(directory.resolve("spool"), Clock.systemUTC(), metrics);
        this.scratch = new MailScratch(directory.resolve("scratch"));
        try {
            this.context = new GatewayMailetContext(Set.of(Domain.of("example.com")),
                    new MailAddress("postmaster@example.com"), spool,
                    (mail, message, bouncer) -> bounces.add(mail.getName() + ": " + message), injected::add,
                    Clock.systemUTC());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
        this.loader = new MailetContainerLoader(context, ServiceRegistry.empty().with(Recorder.class, recorder),
                metrics);
    }

    Path write(String xml) throws IOException {
        Path file = directory.resolve("mailetcontainer.xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        return file;
    }

    MailetContainer load(String xml) throws Exception {
        return loader.load(write(xml));
    }

    static MimeMessage message(String... extraHeaders) throws MessagingException {
        StringBuilder text = new StringBuilder();
        text.append("From: alice@example.com\r\nTo: bob@example.org\r\nSubject: test\r\n");
        for (String header : extraHeaders) {
            text.append(header).append("\r\n");
        }
        text.append("Message-ID: <1@example.com>\r\n\r\nhello\r\n");
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    GatewayMail mail(String sender, String... recipients) throws MessagingException {
        return mail(message(), sender, recipients);
    }

    GatewayMail mail(MimeMessage message, String sender, String... recipients) throws MessagingException {
        List<MailAddress> rcpts = new ArrayList<>();
        for (String r : recipients) {
            rcpts.add(new MailAddress(r));
        }
        MaybeSender from = sender.isEmpty() ? MaybeSender.nullSender() : MaybeSender.of(new MailAddress(sender));
        return new GatewayMail("M1", from, rcpts, message, "127.0.0.1", scratch);
    }

    /** 1-based line of the first line of {@code xml} containing {@code marker}. */
    static int lineOf(String xml, String marker) {
        List<String> lines = Arrays.asList(xml.split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("marker not found: " + marker);
    }
}
