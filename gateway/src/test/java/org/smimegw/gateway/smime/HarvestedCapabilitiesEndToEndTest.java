package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.cli.Main;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeSigner;

/**
 * Partners whose certificates were imported into the store, and who then signed mail to an internal user with a
 * client that announces only AES-CBC: the SMIMECapabilities harvested from that mail apply to the imported
 * certificate (the newest capabilities seen for a certificate, wherever it came from). Under the shipped pipeline
 * with a policy requiring AES-256-GCM: OnlyStrongAlgorithmNegotiation encrypts with AES-256-CBC (the CMS says so),
 * BlockNegotiation refuses at RCPT instead of sending GCM the partner cannot read, and {@code policy explain} names
 * the announced capabilities.
 */
class HarvestedCapabilitiesEndToEndTest {

    private static final String POLICY = """
            global:
              RequireEncryptionSMIMEAlgorithm: AES256GCM
              OWAEncryptionAlgorithms: [AES256GCM, AES256, AES128]
            domains:
              partner.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  AllowSMIMEEncryptionAlgorithmNegotiation: OnlyStrongAlgorithmNegotiation
              block.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  AllowSMIMEEncryptionAlgorithmNegotiation: BlockNegotiation
            """;

    private static TestPki pki;
    private static TestPki.Issued alice;
    private static TestPki.Issued bob;
    private static TestPki.Issued dan;

    @TempDir
    Path dir;
    private SmimeGatewayFixture gateway;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("Harvest E2E");
        alice = pki.issue("alice@example.com");
        bob = pki.issue("bob@partner.example");
        dan = pki.issue("dan@block.example");
    }

    @BeforeEach
    void start() throws Exception {
        Path yaml = SmimeGatewayFixture.writeConfig(dir, "policy:\n  file: policy.yaml\n");
        Files.writeString(dir.resolve("conf/policy.yaml"), POLICY);
        FileCertificateStore store = FileCertificateStore.fromConfig(
                new ConfigLoader().load(yaml).certstore(), dir, System::getenv);
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());
        store.addUserCertificate(bob.certificate(), bob.chain());   // imported, no capabilities known
        store.addUserCertificate(dan.certificate(), dan.chain());
        gateway = SmimeGatewayFixture.start(dir);
        // each partner signs a mail to alice with a client that announces AES-256-CBC and AES-128-CBC only
        for (TestPki.Issued partner : List.of(bob, dan)) {
            assertThat(gateway.send(signedWithCbcOnly(partner), address(partner), "alice@example.com"))
                    .startsWith("250");
        }
        gateway.awaitMail("alice@example.com", 2);  // verified (and so harvested) before delivery
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void negotiationUsesTheCapabilitiesHarvestedForTheImportedCertificate() throws Exception {
        assertThat(gateway.send(plain("alice@example.com", "bob@partner.example", "figures"), "alice@example.com",
                "bob@partner.example")).startsWith("250");

        MimeMessage arrived = gateway.awaitMail("bob@partner.example", 1).get(0);
        assertThat(arrived.getContentType()).startsWith("application/pkcs7-mime").contains("enveloped-data");
        try (InputStream in = arrived.getInputStream()) {
            assertThat(new CMSEnvelopedData(in).getEncryptionAlgOID()).isEqualTo(CMSAlgorithm.AES256_CBC.getId());
        }
        Path file = gateway.save(arrived, "to-bob.eml");
        Path bobCert = TestPki.writePem(dir.resolve("bob.cert.pem"), bob.certificate());
        Path bobKey = TestPki.writePem(dir.resolve("bob.key.pem"), bob.privateKey());
        assertThat(SmimeGatewayFixture.openssl(dir, "cms", "-decrypt", "-in", file.toString(), "-recip",
                bobCert.toString(), "-inkey", bobKey.toString())).contains("figures");
    }

    @Test
    void blockNegotiationRefusesAtRcptInsteadOfSendingGcmThePartnerCannotRead() {
        assertThatThrownBy(() -> gateway.send(plain("alice@example.com", "dan@block.example", "figures"),
                "alice@example.com", "dan@block.example"))
                .isInstanceOf(SendFailedException.class)
                .satisfies(e -> assertThat(((SendFailedException) e).getNextException())
                        .isInstanceOf(SMTPAddressFailedException.class)
                        .hasMessageStartingWith("550 5.7.1").hasMessageContaining("BlockNegotiation")
                        .hasMessageContaining("announced only AES256, AES128"));
    }

    @Test
    void policyExplainNamesTheHarvestedCapabilities() throws Exception {
        String bobText = explain("bob@partner.example");
        assertThat(line(bobText, "recipient certificate:")).contains("CN=bob@partner.example")
                .contains("announces AES256, AES128");
        assertThat(line(bobText, "encrypt:")).startsWith("encrypt:").contains("AES256 ")
                .contains("OnlyStrongAlgorithmNegotiation");

        String danText = explain("dan@block.example");
        assertThat(line(danText, "recipient certificate:")).contains("announces AES256, AES128");
        assertThat(line(danText, "outcome:")).contains("REFUSE").contains("BlockNegotiation");
    }

    /** {@code policy explain} as an admin runs it beside the gateway, on the same store and policy. */
    private String explain(String recipient) throws Exception {
        Path config = Files.writeString(dir.resolve("explain.yaml"), """
                internalDomains: [example.com]
                pipeline: {config: %s}
                certstore:
                  directory: %s
                  keyPassword: file:%s
                  revocation: {mode: OFF}
                policy: {file: %s}
                """.formatted(dir.resolve("conf/mailetcontainer.xml"), dir.resolve("var/certstore"),
                dir.resolve("var/certstore/keystore.pass"), dir.resolve("conf/policy.yaml")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"policy", "explain", "--from", "alice@example.com", "--to", recipient,
                "--config", config.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    private static String line(String text, String start) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + start + "' in:\n" + text));
    }

    private MimeMessage signedWithCbcOnly(TestPki.Issued partner) throws Exception {
        SignerSettings d = SignerSettings.defaults();
        SignerSettings cbcOnly = new SignerSettings(d.mode(), d.digest(), d.rsaScheme(), d.certificates(),
                List.of(EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES128), d.encryptionKeyPreference());
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                plain(address(partner), "alice@example.com", "hello from " + address(partner))
                        .getBytes(StandardCharsets.US_ASCII)));
        return new SmimeSigner(cbcOnly, new MessageFiles(dir.resolve("tmp"))).sign(message,
                new UserKey(partner.privateKey(), partner.certificate(), partner.chain(), KeyStorage.SOFTWARE),
                Instant.now());
    }

    private static String address(TestPki.Issued issued) {
        return issued.certificate().getSubjectX500Principal().getName().replaceAll(".*CN=([^,]+).*", "$1");
    }

    private static String plain(String from, String to, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: caps " + body + "\r\nMessage-ID: <" + System.nanoTime()
                + "@e2e.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body
                + "\r\n";
    }
}
