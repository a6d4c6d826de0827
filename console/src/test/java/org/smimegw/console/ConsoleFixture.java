package org.smimegw.console;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.CertificateImporter;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.smtp.PasswordHasher;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * A running gateway with the console on (loopback, plain HTTP unless the YAML given asks for TLS): the real inbound
 * policy check quarantines unsigned mail to legal@example.com; alice@example.com has a key in the store; an
 * administrator {@value #ADMIN} and the self-service user alice can log in.
 */
final class ConsoleFixture implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final String USER = "alice@example.com";
    static final String USER_PASSWORD = "alice's own secret";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** The body of {@link #store}'s messages: the console shows header fields only. */
    static final String SECRET_BODY = "the confidential body text";

    final Path dir;
    final TestPki pki = TestPki.create("Console Test CA");
    final GatewayApplication app;
    /** Set it to make the next reloads fail after the files were read (a refused reload). */
    final AtomicBoolean failReload = new AtomicBoolean();

    ConsoleFixture(Path dir, String consoleExtra) throws Exception {
        this(dir, consoleExtra, null);
    }

    /**
     * @param ldapUrl with it, {@code certstore.ldap} is that directory (base {@code dc=example,dc=com}) and users
     *                also log in by binding to it ({@code console.selfService.ldap})
     */
    ConsoleFixture(Path dir, String consoleExtra, String ldapUrl) throws Exception {
        this.dir = dir;
        PasswordHasher hasher = new PasswordHasher(1000);
        Files.writeString(dir.resolve("key-password"), "store-secret\n");
        Files.writeString(dir.resolve("policy.yaml"), """
                users:
                  legal@example.com:
                    Receiving:
                      RequireSignedSMIMEMessages: true
                      InboundViolationAction: Quarantine
                """);
        Files.writeString(dir.resolve("mailetcontainer.xml"), """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="SMIMEVerify"><harvest>false</harvest></mailet>
                      <mailet match="All" class="EnforceInboundPolicy" onMailetException="propagate"/>
                      <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                    </processor>
                    <processor state="transport">
                      <mailet match="All" class="RemoteDelivery"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>
                    </processor>
                  </processors>
                </mailetcontainer>
                """);
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, """
                hostname: gw.test
                internalDomains: [example.com]
                stateDir: %s
                smtp: {port: 0, mynetworks: [127.0.0.0/8]}
                pipeline: {config: %s, retryDelaySeconds: 1}
                admin: {port: 0, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                certstore: {directory: %s, keyPassword: "file:%s"%s}
                policy: {file: %s}
                console:
                  enabled: true
                  port: 0
                  admins: [{name: %s, passwordHash: "%s"}]
                  selfService:
                    enabled: true
                    pkcs12Download: true
                    ldap: %s
                    users: [{name: %s, passwordHash: "%s"}]
                %s
                """.formatted(dir.resolve("var"), dir.resolve("mailetcontainer.xml"), dir.resolve("certs"),
                dir.resolve("key-password"),
                ldapUrl == null ? "" : ", ldap: {urls: [\"" + ldapUrl + "\"], baseDn: \"dc=example,dc=com\"}",
                dir.resolve("policy.yaml"), ADMIN, hasher.hash(ADMIN_PASSWORD.toCharArray()), ldapUrl != null, USER,
                hasher.hash(USER_PASSWORD.toCharArray()),
                consoleExtra.indent(2)));
        app = new GatewayApplication(new ConfigLoader().load(yaml));
        app.addReloadable(() -> {
            if (failReload.get()) {
                throw new IllegalStateException("test reloadable refuses");
            }
            return "test reloadable";
        });
        app.start();
        var store = app.certificates().orElseThrow().fileStore();
        CertificateImporter importer = new CertificateImporter(store, new CertificateFileParser(),
                java.time.Clock.systemUTC());
        importer.importTrust("root.pem", TestPki.pem(pki.rootCertificate()).getBytes());
        importer.importUser(TestPki.writePkcs12(pki.issue(USER), dir.resolve("alice.p12"), "p12pass".toCharArray()),
                "p12pass".toCharArray(), true);
    }

    URI uri() {
        return app.consoleUri().orElseThrow();
    }

    void sendUnsigned(String to, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(app.smtpAddress().getPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom("partner@example.net");
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject);
        message.setText("please sign\r\n");
        Transport.send(message);
    }

    /** Sends an unsigned mail to legal@example.com and returns its queue id once it is in quarantine. */
    String quarantineOne(String subject) throws Exception {
        int before = quarantined().size();
        sendUnsigned("legal@example.com", subject);
        await("the mail in quarantine", () -> quarantined().size() == before + 1);
        return quarantined().get(quarantined().size() - 1).id();
    }

    /**
     * Stores an entry straight into {@code area} of the running gateway's spool (ERROR is left alone by the gateway;
     * an OUTGOING one waits for its {@code delivery.nextAttempt}): a one-part message with {@code subject} and a body
     * that must never show in the console.
     */
    SpoolEntry store(SpoolArea area, String sender, String recipient, Instant receivedAt,
                     java.util.Map<String, String> attributes, String subject) throws Exception {
        Envelope envelope = new Envelope(sender, java.util.Map.of(), List.of(recipient), "192.0.2.7",
                "mx.example.net", null, receivedAt, attributes);
        String message = "From: " + sender + "\r\nTo: " + recipient + "\r\nSubject: " + subject
                + "\r\n\r\n" + SECRET_BODY + "\r\n";
        return app.spool().store(area, envelope, new java.io.ByteArrayInputStream(
                message.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    List<SpoolEntry> quarantined() {
        try {
            return app.spool().list(SpoolArea.QUARANTINE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
