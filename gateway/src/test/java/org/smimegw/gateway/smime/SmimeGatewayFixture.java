package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;

/**
 * A gateway for the S/MIME end-to-end tests: the shipped {@code conf/mailetcontainer.xml}, internal domain
 * {@code example.com}, a certificate store in a temporary directory, the embedded GreenMail as next hop, every port
 * ephemeral; plus an SMTP client that sends files byte for byte, and {@code openssl cms} helpers.
 */
public final class SmimeGatewayFixture implements AutoCloseable {

    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Duration WAIT = Duration.ofSeconds(60);

    private final Path dir;
    private final GatewayApplication app;

    private SmimeGatewayFixture(Path dir, GatewayApplication app) {
        this.dir = dir;
        this.app = app;
    }

    /** The gateway.yaml the tests use; {@code certstoreExtra} is appended inside {@code certstore:} (indented). */
    public static Path writeConfig(Path dir, String certstoreExtra) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.copy(REPO.resolve("conf/mailetcontainer.xml"), dir.resolve("conf/mailetcontainer.xml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.writeString(dir.resolve("conf/gateway.yaml"), """
                hostname: gw.test
                internalDomains: [example.com]
                smtp: {port: 0}
                pipeline:
                  config: mailetcontainer.xml
                  workers: 2
                  maxFailures: 1000
                  retryDelaySeconds: 1
                admin: {enabled: false, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                delivery:
                  retry: {initialDelaySeconds: 1}
                certstore:
                  directory: ../var/certstore
                  keyPassword: file:../var/certstore/keystore.pass
                  revocation: {mode: OFF}
                """ + certstoreExtra);
    }

    /** Starts the gateway from {@code dir/conf/gateway.yaml} (see {@link #writeConfig}), state in {@code dir/var}. */
    public static SmimeGatewayFixture start(Path dir) throws Exception {
        GatewayConfig config = new ConfigLoader().load(dir.resolve("conf/gateway.yaml"))
                .withEphemeralPorts(dir.resolve("var"));
        GatewayApplication app = new GatewayApplication(config);
        try {
            app.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        return new SmimeGatewayFixture(dir, app);
    }

    public GatewayApplication app() {
        return app;
    }

    public GreenMail greenMail() {
        return app.embeddedMailbox().orElseThrow().greenMail();
    }

    /** Sends {@code raw} (an RFC 5322 message) as it is, with the given envelope; returns the final reply. */
    public String send(String raw, String from, String... to) throws Exception {
        Path file = Files.createTempFile(dir, "send", ".eml");
        Files.writeString(file, raw.replace("\r\n", "\n").replace("\n", "\r\n"), StandardCharsets.UTF_8);
        return sendFile(file, from, to);
    }

    /** Sends a message as it is written (signatures stay intact). */
    public String send(MimeMessage message, String from, String... to) throws Exception {
        Path file = Files.createTempFile(dir, "send", ".eml");
        try (OutputStream out = Files.newOutputStream(file)) {
            message.writeTo(out);
        }
        return sendFile(file, from, to);
    }

    /** Sends these bytes as they are (no line-end conversion), with the given envelope; returns the final reply. */
    public String send(byte[] raw, String from, String... to) throws Exception {
        Path file = Files.createTempFile(dir, "send", ".eml");
        Files.write(file, raw);
        return sendFile(file, from, to);
    }

    private String sendFile(Path file, String from, String... to) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.from", from);
        Session session = Session.getInstance(props);
        List<Address> recipients = new ArrayList<>();
        for (String r : to) {
            recipients.add(new InternetAddress(r));
        }
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp");
             SharedFileInputStream in = new SharedFileInputStream(file.toFile())) {
            transport.connect("127.0.0.1", app.smtpAddress().getPort(), null, null);
            transport.sendMessage(new MimeMessage(session, in), recipients.toArray(Address[]::new));
            return transport.getLastServerResponse().trim();
        }
    }

    /** The messages in {@code address}'s GreenMail inbox, waiting up to a minute until there are {@code count}. */
    public List<MimeMessage> awaitMail(String address, int count) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        await(count + " mail(s) for " + address, () -> {
            found.clear();
            found.addAll(inbox(address));
            return found.size() >= count;
        });
        return List.copyOf(found);
    }

    /** What {@code address}'s inbox holds now (empty when GreenMail has not created the mailbox yet). */
    public List<MimeMessage> inbox(String address) {
        var managers = greenMail().getManagers();
        var user = managers.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return managers.getImapHostManager().getInbox(user).getMessages().stream()
                        .map(m -> m.getMimeMessage()).toList();
            } catch (java.util.ConcurrentModificationException e) {
                if (attempt == 10) {
                    throw e;
                }
                // a mail was being stored while the list was read: read it again
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits (polling, generous timeout) until the condition holds; fails the test when it never does. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Writes a received message to a file exactly as GreenMail stored it. */
    public Path save(MimeMessage message, String name) throws Exception {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            message.writeTo(out);
        }
        return file;
    }

    /** Runs openssl with the arguments; returns stdout+stderr; fails the test on a non-zero exit. */
    static String openssl(Path workDir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(p.exitValue()).as("openssl " + String.join(" ", args) + " exit; output:\n" + output).isZero();
        return output;
    }

    /**
     * Decrypts {@code encrypted} with openssl cms for the recipient's key, then verifies the signed content inside
     * against {@code caFile}; returns the content openssl verified.
     */
    static String decryptAndVerify(Path dir, Path encrypted, Path recipientCert, Path recipientKey, Path caFile)
            throws Exception {
        Path decrypted = dir.resolve(encrypted.getFileName() + ".decrypted");
        Path content = dir.resolve(encrypted.getFileName() + ".content");
        openssl(dir, "cms", "-decrypt", "-in", encrypted.toString(), "-recip", recipientCert.toString(), "-inkey",
                recipientKey.toString(), "-out", decrypted.toString());
        String verify = openssl(dir, "cms", "-verify", "-in", decrypted.toString(), "-CAfile", caFile.toString(),
                "-out", content.toString());
        assertThat(verify).contains("Verification successful");
        return Files.readString(content, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        app.close();
    }
}
