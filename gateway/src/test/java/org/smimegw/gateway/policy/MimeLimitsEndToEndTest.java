package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.policy.PolicyFixture.raw;
import static org.smimegw.gateway.policy.PolicyFixture.subject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.app.GatewayApplication;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.spool.SpoolArea;

/**
 * Mail whose MIME structure exceeds the limits (here: multiparts nested 150 levels deep, the limit is 100) through
 * the shipped conf/, end to end: inbound it is delivered untouched with the verdict, or refused where the
 * recipient's policy requires signed mail; outbound it is refused where the policy requires S/MIME (never sent in
 * clear), and sent on unchanged where it does not. No pipeline run fails, nothing lands in the error area.
 */
class MimeLimitsEndToEndTest {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    /** Multiparts nested {@code depth} deep; the sender forged a verdict header. */
    static String deep(String from, String to, String subject, int depth) {
        StringBuilder b = new StringBuilder("From: " + from + "\nTo: " + to + "\nSubject: " + subject
                + "\nMessage-ID: <" + subject.replace(' ', '.') + "@client.test>\nX-SMIME-Status: valid\n"
                + "MIME-Version: 1.0\n");
        for (int i = 0; i < depth; i++) {
            b.append("Content-Type: multipart/mixed; boundary=\"d").append(i).append("\"\n\n--d").append(i).append('\n');
        }
        b.append("Content-Type: text/plain\n\nMARKER-").append(subject.replace(' ', '-')).append('\n');
        for (int i = depth - 1; i >= 0; i--) {
            b.append("--d").append(i).append("--\n");
        }
        return b.toString();
    }

    /** The body as sent or received, line ends and the end of the message aside (SMTP adds a last line end). */
    private static String body(String raw) {
        String lf = raw.replace("\r\n", "\n");
        return lf.substring(lf.indexOf("\n\n") + 2).strip();
    }

    @Test
    void overTheLimitsMailGetsAVerdictPerRecipientAndNeverACrash() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        for (String name : List.of("gateway.yaml", "mailetcontainer.xml", "policy.yaml")) {
            Files.copy(REPO.resolve("conf").resolve(name), dir.resolve("conf").resolve(name));
        }
        TestPki pki = TestPki.create("Limits");
        TestPki.Issued finance = pki.issue("finance@example.com");
        TestPki.Issued alice = pki.issue("alice@example.com");
        FileCertificateStore store = new FileCertificateStore(dir.resolve("var/certstore"),
                new KeyPasswordSource("file:" + dir.resolve("var/certstore/keystore.pass"), System::getenv, true, dir));
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(finance.privateKey(), finance.certificate(), finance.chain());
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());

        GatewayConfig config = new ConfigLoader().load(dir.resolve("conf/gateway.yaml"))
                .withEphemeralPorts(dir.resolve("var"));
        try (GatewayApplication app = new GatewayApplication(config)) {
            app.start();
            var greenMail = app.embeddedMailbox().orElseThrow().greenMail();

            String inbound = deep("ext@outside.example", "alice@example.com", "in deep", 150);
            assertThat(PolicyFixture.send(app, "ext@outside.example", List.of("alice@example.com"), inbound)
                    .dataReply().orElseThrow()).startsWith("250");
            String toLegal = deep("ext@outside.example", "legal@example.com", "in legal", 150);
            PolicyFixture.send(app, "ext@outside.example", List.of("legal@example.com"), toLegal);
            String required = deep("finance@example.com", "carol@other.example", "out required", 150);
            PolicyFixture.send(app, "finance@example.com", List.of("carol@other.example"), required);
            String wanted = deep("alice@example.com", "dave@other.example", "out wanted", 150);
            PolicyFixture.send(app, "alice@example.com", List.of("dave@other.example"), wanted);

            // 1. inbound, nothing required: delivered untouched, with the verdict (the forged one removed)
            MimeMessage delivered = await(app, subject("in deep"));
            assertThat(delivered.getHeader("X-SMIME-Status")).containsExactly("malformed");
            assertThat(delivered.getHeader("X-SMIME-Reason", null)).contains("exceeds the gateway's limits")
                    .contains("nested deeper than 100 levels");
            assertThat(body(raw(delivered))).isEqualTo(body(inbound));
            // 2. inbound to a recipient whose policy requires signed mail (InboundViolationAction: Reject): a DSN
            String rejected = raw(await(app, PolicyFixture.dsn("ext@outside.example", "Final-Recipient: rfc822; "
                    + "legal@example.com")));
            assertThat(rejected).contains("Status: 5.6.0").contains("nested deeper than 100 levels");
            // 3. outbound, policy requires signing (finance@): refused with a DSN, never sent in clear
            String refused = raw(await(app, PolicyFixture.dsn("finance@example.com", "carol@other.example")));
            assertThat(refused).contains("Status: 5.6.0").contains("requires signed or encrypted mail");
            // 4. outbound, policy only wants S/MIME: sent on unchanged (unsigned)
            MimeMessage sent = await(app, subject("out wanted"));
            assertThat(sent.getContentType()).startsWith("multipart/mixed");
            assertThat(body(raw(sent))).isEqualTo(body(wanted));

            for (MimeMessage m : greenMail.getReceivedMessages()) {
                String text = raw(m);
                assertThat(text.contains("MARKER-in-legal") && !text.contains("Status: 5.6.0")).isFalse();
                assertThat(text.contains("MARKER-out-required") && !text.contains("Status: 5.6.0")).isFalse();
            }
            assertThat(app.metrics().counter("mime.limits.exceeded").getCount()).isEqualTo(4);
            assertThat(app.metrics().counter("pipeline.failed").getCount()).isZero();
            assertThat(app.spool().list(SpoolArea.ERROR)).isEmpty();
        }
    }

    private static MimeMessage await(GatewayApplication app, java.util.function.Predicate<MimeMessage> match)
            throws Exception {
        var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
        for (int i = 0; i < 1200; i++) {
            for (MimeMessage m : greenMail.getReceivedMessages()) {
                if (match.test(m)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such message received");
    }
}
