package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;

import com.codahale.metrics.MetricRegistry;
import com.icegreen.greenmail.util.GreenMail;

/** A gateway with a policy file, a file certificate store and a switchable directory outage, and its SMTP side. */
final class PolicyFixture implements AutoCloseable {

    static final String CONTAINER = """
            <mailetcontainer>
              <processors>
                <processor state="root">
                  <mailet match="SenderIsInternal" class="ToProcessor"><processor>outbound</processor></mailet>
                  <mailet match="All" class="ToProcessor"><processor>inbound</processor></mailet>
                </processor>
                <processor state="outbound">
                  <mailet match="All" class="StripSMIMEHeaders"/>
                  <mailet match="All" class="EnforceOutboundPolicy" onMailetException="propagate">
                    <processor>transport</processor>
                    <deferralRetrySeconds>1</deferralRetrySeconds>
                  </mailet>
                </processor>
                <processor state="inbound">
                  <mailet match="All" class="StripSMIMEHeaders"/>
                  <mailet match="All" class="SMIMEDecrypt"/>
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
            """;

    final TestPki pki;
    final FileCertificateStore store;
    final AtomicBoolean directoryDown = new AtomicBoolean(true);
    final MetricRegistry metrics = new MetricRegistry();
    final GatewayApplication app;

    PolicyFixture(Path dir, TestPki pki, String policyYaml, boolean rcptCheck, StoreSetup setup) throws Exception {
        this(dir, pki, policyYaml, rcptCheck, "", setup);
    }

    /** {@code certstoreExtra}: more keys inside {@code certstore:} (indented by two), e.g. a pkcs11 token. */
    PolicyFixture(Path dir, TestPki pki, String policyYaml, boolean rcptCheck, String certstoreExtra,
                  StoreSetup setup) throws Exception {
        this.pki = pki;
        store = new FileCertificateStore(dir.resolve("certs"),
                new KeyPasswordSource("file:" + dir.resolve("key-password"), System::getenv, true, dir));
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        setup.accept(store);
        Files.writeString(dir.resolve("mailetcontainer.xml"), CONTAINER);
        Files.writeString(dir.resolve("policy.yaml"), policyYaml);
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, """
                hostname: gw.test
                internalDomains: [example.com]
                smtp: {port: 0}
                pipeline: {config: mailetcontainer.xml, retryDelaySeconds: 1, maxFailures: 1000}
                admin: {enabled: false, jmx: false}
                embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                certstore:
                  directory: certs
                  keyPassword: file:key-password
                  revocation: {mode: OFF}
                %s
                policy:
                  file: policy.yaml
                  rcptCheck: %s
                """.formatted(certstoreExtra.strip().indent(2).stripTrailing(), rcptCheck));
        GatewayConfig config = new ConfigLoader().load(yaml);
        app = new GatewayApplication(config, java.time.Clock.systemUTC(), metrics);
        if (certstoreExtra.isBlank()) {
            app.addService(CertificateStore.class, new OutageStore(store, directoryDown));
        }
        app.start();
    }

    interface StoreSetup {
        void accept(FileCertificateStore store) throws Exception;
    }

    GreenMail greenMail() {
        return app.embeddedMailbox().orElseThrow().greenMail();
    }

    @Override
    public void close() {
        app.close();
    }

    // ---- SMTP

    /** RCPT replies by recipient, and the DATA reply (empty when no recipient was accepted). */
    record Submission(List<String> rcptReplies, Optional<String> dataReply) {
        String rcpt(int i) {
            return rcptReplies.get(i);
        }
    }

    Submission send(String sender, List<String> rcpts, String message) throws IOException {
        return send(app, sender, rcpts, message);
    }

    static Submission send(GatewayApplication app, String sender, List<String> rcpts, String message)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.smtpAddress().getPort())) {
            socket.setSoTimeout(120_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertThat(reply(in)).startsWith("220");
            assertThat(command(out, in, "EHLO client.test")).startsWith("250");
            assertThat(command(out, in, "MAIL FROM:<" + sender + ">")).startsWith("250");
            List<String> replies = new ArrayList<>();
            boolean any = false;
            for (String r : rcpts) {
                String reply = command(out, in, "RCPT TO:<" + r + ">");
                replies.add(reply);
                any |= reply.startsWith("250");
            }
            Optional<String> data = Optional.empty();
            if (any) {
                assertThat(command(out, in, "DATA")).startsWith("354");
                StringBuilder body = new StringBuilder();
                for (String line : message.replace("\r\n", "\n").split("\n", -1)) {
                    body.append(line.startsWith(".") ? "." + line : line).append("\r\n");
                }
                out.write(body.toString().getBytes(StandardCharsets.UTF_8));
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                data = Optional.of(reply(in));
            }
            command(out, in, "QUIT");
            return new Submission(replies, data);
        }
    }

    static String message(String from, String to, String bcc, String subject, String body) {
        return "From: " + from + "\nTo: " + to + "\n" + (bcc == null ? "" : "Bcc: " + bcc + "\n")
                + "Subject: " + subject + "\nMessage-ID: <" + subject.replace(' ', '.') + "@client.test>\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n" + body + "\n";
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    private static String reply(BufferedReader in) throws IOException {
        StringBuilder all = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed; so far: " + all);
            }
            all.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return all.toString().trim();
    }

    // ---- what GreenMail got

    /** Waits (generously) until a received message matches. */
    MimeMessage await(String what, Predicate<MimeMessage> match) throws Exception {
        for (int i = 0; i < 1200; i++) {
            for (MimeMessage m : greenMail().getReceivedMessages()) {
                if (match.test(m)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no message received: " + what);
    }

    /** Waits for a DSN to {@code to} whose text contains {@code text} (see {@link #dsn}); returns it whole. */
    String awaitDsn(String to, String text) throws Exception {
        return raw(await("a DSN to " + to + " containing " + text, dsn(to, text)));
    }

    List<MimeMessage> received(Predicate<MimeMessage> match) {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : greenMail().getReceivedMessages()) {
            if (match.test(m)) {
                out.add(m);
            }
        }
        return out;
    }

    static Predicate<MimeMessage> subject(String subject) {
        return m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** A delivery status notification from the null sender to {@code to} whose text contains {@code text}. */
    static Predicate<MimeMessage> dsn(String to, String text) {
        return m -> {
            try {
                String raw = raw(m);
                return "<>".equals(m.getHeader("Return-Path", null))
                        && m.getContentType().toLowerCase().startsWith("multipart/report")
                        && String.join(",", m.getHeader("To") == null ? new String[0] : m.getHeader("To")).contains(to)
                        && raw.contains(text);
            } catch (Exception e) {
                return false;
            }
        };
    }

    static String raw(MimeMessage m) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            m.writeTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static MimeMessage copy(MimeMessage m) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw(m).getBytes(StandardCharsets.UTF_8)));
    }

    // ---- CMS structure of an encrypted message

    /** Content-encryption OID, and whether every recipient is named by subject key identifier. */
    record Cms(String contentType, String algorithmOid, int recipients, boolean bySubjectKeyIdentifier) {
    }

    static Cms cms(MimeMessage m) throws Exception {
        byte[] der = m.getInputStream().readAllBytes();
        ContentInfo info = ContentInfo.getInstance(new ASN1InputStream(der).readObject());
        ASN1Set recipientInfos;
        String oid;
        if (info.getContentType().equals(CMSObjectIdentifiers.envelopedData)) {
            EnvelopedData e = EnvelopedData.getInstance(info.getContent());
            recipientInfos = e.getRecipientInfos();
            oid = e.getEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm().getId();
        } else if (info.getContentType().equals(CMSObjectIdentifiers.authEnvelopedData)) {
            AuthEnvelopedData e = AuthEnvelopedData.getInstance(info.getContent());
            recipientInfos = e.getRecipientInfos();
            oid = e.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm().getId();
        } else {
            throw new AssertionError("not encrypted: " + info.getContentType());
        }
        boolean ski = true;
        for (int i = 0; i < recipientInfos.size(); i++) {
            RecipientInfo ri = RecipientInfo.getInstance(recipientInfos.getObjectAt(i));
            if (ri.getInfo() instanceof KeyTransRecipientInfo k) {
                ski &= k.getRecipientIdentifier().isTagged();
            }
        }
        return new Cms(info.getContentType().getId(), oid, recipientInfos.size(), ski);
    }

    /** The certificate store with a directory that can be down for the addresses of down.example. */
    record OutageStore(FileCertificateStore delegate, AtomicBoolean down) implements CertificateStore {
        @Override
        public List<PublishedCertificate> encryptionCertificates(String address) throws DirectoryUnavailableException {
            if (down.get() && address.toLowerCase().endsWith("@down.example")) {
                throw new DirectoryUnavailableException("ldap://dc1.down.example: connect timed out");
            }
            return delegate.encryptionCertificates(address);
        }

        @Override
        public Optional<UserKey> signingKey(String address) {
            return delegate.signingKey(address);
        }

        @Override
        public List<UserKey> decryptionKeys(String address) {
            return delegate.decryptionKeys(address);
        }

        @Override
        public TrustCollection trust() {
            return delegate.trust();
        }

        @Override
        public void harvest(HarvestedCertificate certificate) {
            delegate.harvest(certificate);
        }
    }

    static void addCertificate(FileCertificateStore store, TestPki.Issued user) throws Exception {
        store.addUserCertificate(user.certificate(), user.chain());
    }

    static HarvestedCertificate harvested(String address, TestPki.Issued user, List<String> capabilityOids) {
        return new HarvestedCertificate(address, user.certificate(), user.chain(),
                new org.smimegw.certstore.SmimeCapabilities(capabilityOids), Instant.now());
    }

    static X509Certificate certificate(TestPki.Issued user) {
        return user.certificate();
    }
}
