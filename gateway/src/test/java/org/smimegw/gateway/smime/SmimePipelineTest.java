package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import com.codahale.metrics.MetricRegistry;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.gateway.policy.GatewayPolicy;
import org.smimegw.mailets.policy.PolicyCheck;
import org.smimegw.gateway.container.GatewayMail;
import org.smimegw.gateway.container.GatewayMailetContext;
import org.smimegw.gateway.container.MailScratch;
import org.smimegw.gateway.container.MailetContainer;
import org.smimegw.gateway.container.MailetContainerLoader;
import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.container.ServiceRegistry;
import org.smimegw.gateway.delivery.DeliveryQueue;
import org.smimegw.gateway.delivery.SpoolDeliveryQueue;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.DecryptionResult;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeContentTypes;
import org.smimegw.mailets.crypto.SmimeDecryptor;
import org.smimegw.mailets.crypto.SmimeEncryptor;
import org.smimegw.mailets.crypto.SmimeSigner;
import org.smimegw.mailets.crypto.SmimeVerifier;
import org.smimegw.mailets.crypto.VerificationStatus;

/**
 * The S/MIME pipeline of docs/smime.md in the real mailet container, with the real file certificate store,
 * validator, spool and delivery queue: outbound mail is signed and encrypted where the recipient has a certificate,
 * inbound mail is decrypted, verified and marked, and a forged X-SMIME-Status from outside does not survive.
 * (The same over SMTP into GreenMail belongs with the gateway's end-to-end tests.)
 */
class SmimePipelineTest {

    private static final String PIPELINE = """
            <mailetcontainer>
              <processors>
                <processor state="root">
                  <mailet match="SenderIsInternal" class="ToProcessor"><processor>outbound</processor></mailet>
                  <mailet match="All" class="ToProcessor"><processor>inbound</processor></mailet>
                </processor>
                <processor state="outbound">
                  <mailet match="All" class="StripSMIMEHeaders"/>
                  <mailet match="SenderHasSigningKey" class="SMIMESign"/>
                  <mailet match="All" class="SMIMEEncrypt" onMailetException="propagate">
                    <bccFork>true</bccFork>
                    <forkProcessor>transport</forkProcessor>
                    <noCertificateProcessor>no-certificate</noCertificateProcessor>
                  </mailet>
                  <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                </processor>
                <processor state="no-certificate">
                  <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                </processor>
                <processor state="inbound">
                  <mailet match="All" class="StripSMIMEHeaders"/>
                  <mailet match="All" class="SMIMEDecrypt"/>
                  <mailet match="All" class="SMIMEVerify"/>
                  <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                </processor>
                <processor state="transport">
                  <mailet match="All" class="RemoteDelivery"/>
                </processor>
                <processor state="error">
                  <mailet match="All" class="Null"/>
                </processor>
              </processors>
            </mailetcontainer>
            """;

    @TempDir
    Path dir;
    TestPki pki;
    TestPki.Issued alice;
    TestPki.Issued bob;
    FileSpool spool;
    MailScratch scratch;
    MailetContainer container;
    MessageFiles files;
    CertificateValidator validator;

    @BeforeEach
    void setUp() throws Exception {
        pki = TestPki.create("Pipeline");
        alice = pki.issue("alice@corp.example");
        bob = pki.issue("bob@partner.example");
        FileCertificateStore store = new FileCertificateStore(dir.resolve("certs"),
                new KeyPasswordSource("file:" + dir.resolve("key-password"), System::getenv, true, dir));
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());
        store.addUserCertificate(bob.certificate(), bob.chain());
        validator = new PkixCertificateValidator(store::trust, CertStoreConfig.Revocation.defaults());
        MetricRegistry metrics = new MetricRegistry();
        Clock clock = Clock.systemUTC();
        spool = new FileSpool(dir.resolve("spool"), clock, metrics);
        scratch = new MailScratch(dir.resolve("scratch"));
        GatewayMailetContext context = new GatewayMailetContext(Set.of(Domain.of("corp.example")),
                new MailAddress("postmaster@corp.example"), spool, (mail, message, bouncer) -> { }, entry -> { }, clock);
        ServiceRegistry services = ServiceRegistry.empty()
                .with(CertificateStore.class, store)
                .with(CertificateValidator.class, validator)
                .with(Clock.class, clock)
                .with(DeliveryQueue.class, new SpoolDeliveryQueue(spool, clock, entry -> { }))
                // as the gateway offers it: the built-in policy (nothing required, software keys allowed)
                .with(PolicyCheck.class, GatewayPolicy.create(GatewayPolicy.defaults(), false, store, validator,
                        List.of("corp.example"), clock, metrics).check());
        Path xml = Files.writeString(dir.resolve("mailetcontainer.xml"), PIPELINE);
        container = new MailetContainerLoader(context, services, metrics).load(xml);
        files = new MessageFiles(dir.resolve("tmp"));
    }

    private static MimeMessage message(String from, String to, String extraHeaders, String body) throws Exception {
        String raw = "From: " + from + "\r\nTo: " + to + "\r\nSubject: pipeline\r\n" + extraHeaders
                + "Message-ID: <" + System.nanoTime() + "@test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + body + "\r\n";
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    private void process(MimeMessage message, String sender, String... recipients) throws Exception {
        List<MailAddress> rcpts = new java.util.ArrayList<>();
        for (String r : recipients) {
            rcpts.add(new MailAddress(r));
        }
        container.process(new GatewayMail("m" + System.nanoTime(), MaybeSender.of(new MailAddress(sender)), rcpts,
                message, "127.0.0.1", scratch));
    }

    /** Runs what mailets re-injected (copies for other processors) until INCOMING is empty. */
    private void drainIncoming() throws Exception {
        for (SpoolEntry entry : spool.list(SpoolArea.INCOMING)) {
            container.process(GatewayMail.fromSpool(entry, spool, scratch));
            spool.delete(entry);
        }
    }

    private MimeMessage outgoingTo(String recipient) throws Exception {
        for (SpoolEntry entry : spool.list(SpoolArea.OUTGOING)) {
            if (entry.envelope().recipients().contains(recipient)) {
                return spool.open(entry);
            }
        }
        throw new AssertionError("nothing queued for " + recipient + " in " + spool.list(SpoolArea.OUTGOING));
    }

    private static UserKey key(TestPki.Issued issued) {
        return new UserKey(issued.privateKey(), issued.certificate(), issued.chain(), KeyStorage.SOFTWARE);
    }

    @Test
    void outboundIsSignedAndEncryptedWhereTheRecipientHasACertificate() throws Exception {
        process(message("alice@corp.example", "bob@partner.example, carol@nocert.example", "", "secret plans"),
                "alice@corp.example", "bob@partner.example", "carol@nocert.example");
        List<SpoolEntry> reinjected = spool.list(SpoolArea.INCOMING);
        assertThat(reinjected).singleElement().satisfies(e ->
                assertThat(e.envelope().attributes()).containsEntry(PipelineAttributes.STATE, "no-certificate"));
        drainIncoming();

        MimeMessage toBob = outgoingTo("bob@partner.example");
        assertThat(SmimeContentTypes.isEncrypted(toBob)).isTrue();
        DecryptionResult decrypted = new SmimeDecryptor(files).decrypt(toBob, List.of(key(bob)));
        // AES-256-CBC: the decryptor alone cannot vouch for the content; the valid signature inside does
        assertThat(decrypted.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        var verdict = new SmimeVerifier(validator, files).verify(decrypted.message().orElseThrow(), Instant.now());
        assertThat(verdict.status()).isEqualTo(VerificationStatus.VALID);

        MimeMessage toCarol = outgoingTo("carol@nocert.example");
        assertThat(SmimeContentTypes.isEncrypted(toCarol)).isFalse();
        assertThat(new SmimeVerifier(validator, files).verify(toCarol, Instant.now()).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void inboundIsDecryptedVerifiedAndMarkedAndForgedVerdictsAreGone() throws Exception {
        MimeMessage fromBob = message("bob@partner.example", "alice@corp.example", "X-SMIME-Status: forged\r\n", "hello alice");
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults(), files).sign(fromBob, key(bob), Instant.now());
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files)
                .encrypt(signed, List.of(alice.certificate()), EncryptionAlgorithm.AES256GCM);
        process(encrypted, "bob@partner.example", "alice@corp.example");

        MimeMessage delivered = outgoingTo("alice@corp.example");
        assertThat(delivered.getHeader("X-SMIME-Decryption")).containsExactly("decrypted");
        assertThat(delivered.getHeader("X-SMIME-Status")).containsExactly("valid");
        assertThat(delivered.getHeader("X-SMIME-Signer", null)).contains("bob@partner.example");
        assertThat(delivered.getHeader("X-SMIME-Algorithms", null)).contains("encryption=AES-256-GCM");
    }

    @Test
    void aForgedStatusOnPlainInboundMailIsReplaced() throws Exception {
        process(message("mallory@evil.example", "alice@corp.example",
                "X-SMIME-Status: valid\r\nX-SMIME-Signer: ceo@corp.example\r\n", "trust me"),
                "mallory@evil.example", "alice@corp.example");
        MimeMessage delivered = outgoingTo("alice@corp.example");
        assertThat(delivered.getHeader("X-SMIME-Status")).containsExactly("not-signed");
        assertThat(delivered.getHeader("X-SMIME-Signer")).isNull();
    }
}
