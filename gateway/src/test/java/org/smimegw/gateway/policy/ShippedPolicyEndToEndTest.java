package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.policy.PolicyFixture.message;
import static org.smimegw.gateway.policy.PolicyFixture.raw;

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
import org.smimegw.gateway.app.ImapInbox;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.GatewayConfig;

/**
 * The shipped conf/ (gateway.yaml with policy:, mailetcontainer.xml with the enforcement mailets, policy.yaml with
 * the README example) enforces the example: to partner.example only AES-256 ciphertext (refused at RCPT without a
 * certificate), from finance@example.com SHA-384 signatures, to legal@example.com only mail signed by a trusted CA.
 */
class ShippedPolicyEndToEndTest {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleIsEnforcedByTheShippedConfiguration() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        for (String name : List.of("gateway.yaml", "mailetcontainer.xml", "policy.yaml")) {
            Files.copy(REPO.resolve("conf").resolve(name), dir.resolve("conf").resolve(name));
        }
        TestPki pki = TestPki.create("Shipped");
        TestPki.Issued bob = pki.issue("bob@partner.example");
        TestPki.Issued finance = pki.issue("finance@example.com");
        FileCertificateStore store = new FileCertificateStore(dir.resolve("var/certstore"),
                new KeyPasswordSource("file:" + dir.resolve("var/certstore/keystore.pass"), System::getenv, true, dir));
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(finance.privateKey(), finance.certificate(), finance.chain());
        store.addUserCertificate(bob.certificate(), bob.chain());

        GatewayConfig config = new ConfigLoader().load(dir.resolve("conf/gateway.yaml"))
                .withEphemeralPorts(dir.resolve("var"));
        try (GatewayApplication app = new GatewayApplication(config)) {
            app.start();
            var greenMail = app.embeddedMailbox().orElseThrow().greenMail();

            var refused = PolicyFixture.send(app, "alice@example.com", List.of("nocert@partner.example"),
                    message("alice@example.com", "nocert@partner.example", null, "s1", "MARKER-s1"));
            assertThat(refused.rcpt(0)).startsWith("550 5.7.1").contains("no usable certificate");

            var sent = PolicyFixture.send(app, "finance@example.com", List.of("bob@partner.example"),
                    message("finance@example.com", "bob@partner.example", null, "s2 figures", "MARKER-s2"));
            assertThat(sent.rcpt(0)).startsWith("250");
            assertThat(greenMail.waitForIncomingEmail(120_000, 1)).isTrue();
            MimeMessage got = greenMail.getReceivedMessages()[0];
            assertThat(PolicyFixture.cms(got).algorithmOid()).isEqualTo("2.16.840.1.101.3.4.1.42");
            assertThat(PolicyEnforcementEndToEndTest.decryptPart(got, bob).getContentType())
                    .startsWith("multipart/signed").contains("sha-384");
            // the policy mailet did the work: the S/MIME counters say so, on /metrics as in the registry; signed and
            // encrypted in one pass, whose time is in the encryption timer (the signature is made while it streams)
            assertThat(app.metrics().counter("smime.sign.signed").getCount()).isEqualTo(1);
            assertThat(app.metrics().timer("smime.encrypt.time").getCount()).isEqualTo(1);
            assertThat(scrape(app)).containsPattern("(?m)^smime_sign_messages_total\\{outcome=\"signed\"} 1\\.0$")
                    .containsPattern("(?m)^smime_encrypt_messages_total\\{outcome=\"encrypted\"} 1\\.0$")
                    .containsPattern("(?m)^smime_encrypt_duration_seconds_count 1$");

            PolicyFixture.send(app, "ext@outside.example", List.of("legal@example.com"),
                    message("ext@outside.example", "legal@example.com", null, "s3 unsigned", "MARKER-s3"));
            var rejects = app.metrics().counter("policy.decision.RequireSignedSMIMEMessages.reject");
            for (int i = 0; i < 1200 && rejects.getCount() == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(rejects.getCount()).isEqualTo(1);
            // the sender sees the bounce in its mailbox, as a tester of the README example reads it over IMAP
            assertThat(greenMail.waitForIncomingEmail(120_000, 2)).isTrue();
            List<MimeMessage> inbox = ImapInbox.read(app.embeddedMailbox().orElseThrow(), "ext@outside.example");
            assertThat(inbox).hasSize(1);
            assertThat(inbox.get(0).getHeader("Return-Path", null)).isEqualTo("<>");
            assertThat(raw(inbox.get(0))).contains("Final-Recipient: rfc822; legal@example.com")
                    .contains("Status: 5.7.1").contains("s3 unsigned");
            for (MimeMessage m : greenMail.getReceivedMessages()) {
                assertThat(raw(m)).doesNotContain("MARKER-s1").doesNotContain("MARKER-s2")
                        .doesNotContain("MARKER-s3");
            }
        }
    }

    /** The Prometheus text the admin endpoint serves. */
    static String scrape(GatewayApplication app) throws Exception {
        var admin = app.adminAddress().orElseThrow();
        var request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
