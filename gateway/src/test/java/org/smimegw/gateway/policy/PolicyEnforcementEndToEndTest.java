package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.policy.PolicyFixture.message;
import static org.smimegw.gateway.policy.PolicyFixture.raw;
import static org.smimegw.gateway.policy.PolicyFixture.subject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.io.ByteArrayInputStream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.bouncycastle.mail.smime.SMIMESigned;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeSigner;

/**
 * The policy table, end to end: SMTP into the gateway (policy file, file certificate store, real pipeline with
 * EnforceOutboundPolicy / SMIMEDecrypt / SMIMEVerify / EnforceInboundPolicy), out to the embedded GreenMail.
 * Every case where encryption is required is checked at the end: GreenMail never got a clear copy of its body.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyEnforcementEndToEndTest {

    static final String POLICY = """
            global:
              AllowSMIMEEncryptionAlgorithmNegotiation: OnlyStrongAlgorithmNegotiation
              InboundViolationAction: Quarantine
            domains:
              partner.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  RequireEncryptionSMIMEAlgorithm: AES256
                  AllowSMIMEEncryptionAlgorithmNegotiation: BlockNegotiation
              gcm.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  RequireEncryptionSMIMEAlgorithm: AES256GCM
                  OWAUseKeyIdentifier: true
              down.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
              wrap.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  OWATripleWrapSignedEncryptedMail: true
              opaque.example:
                Receiving:
                  OWAClearSign: false
            users:
              finance@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
                  RequireSignedSMIMEAlgorithm: SHA384
              soft@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
                  AllowSMIMESoftCerts: false
              legal@example.com:
                Receiving:
                  RequireSignedSMIMEMessages: true
                  InboundViolationAction: Reject
              records@example.com:
                Receiving:
                  RequireSignedSMIMEMessages: true
            """;

    static final String AES256_CBC = "2.16.840.1.101.3.4.1.42";
    static final String AES256_GCM = "2.16.840.1.101.3.4.1.46";
    static final String SHA384 = "2.16.840.1.101.3.4.2.2";
    static final String ENVELOPED = "1.2.840.113549.1.7.3";
    static final String AUTH_ENVELOPED = "1.2.840.113549.1.9.16.1.23";

    @TempDir
    static Path dir;
    static PolicyFixture gw;
    static TestPki pki;
    static TestPki.Issued bob;
    static TestPki.Issued bcc1;
    static TestPki.Issued bcc2;
    static TestPki.Issued erin;
    static TestPki.Issued frank;
    static TestPki.Issued external;
    /** Body markers of mails that policy requires encrypted: never seen in clear at GreenMail. */
    static final List<String> MUST_BE_ENCRYPTED = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create("Enforce");
        bob = pki.issue("bob@partner.example");
        bcc1 = pki.issue("bcc1@partner.example");
        bcc2 = pki.issue("bcc2@partner.example");
        erin = pki.issue("erin@gcm.example");
        frank = pki.issue("frank@wrap.example");
        external = pki.issue("ext@outside.example");
        TestPki.Issued old = pki.issue("old@partner.example");
        gw = new PolicyFixture(dir, pki, POLICY, true, store -> {
            for (String user : List.of("alice@example.com", "finance@example.com", "soft@example.com")) {
                TestPki.Issued u = pki.issue(user);
                store.addUserKey(u.privateKey(), u.certificate(), u.chain());
            }
            for (TestPki.Issued u : List.of(bob, bcc1, bcc2, erin, frank)) {
                PolicyFixture.addCertificate(store, u);
            }
            // old@partner.example announced only AES-128 (harvested from its signed mail)
            store.harvest(PolicyFixture.harvested("old@partner.example", old, List.of("2.16.840.1.101.3.4.1.2")));
        });
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    // ------------------------------------------------------------------ outbound

    @Test
    @Order(1)
    void partnerRequiresAes256AndHasACertificate_arrivesEncryptedWithAes256() throws Exception {
        MUST_BE_ENCRYPTED.add("MARKER-partner-aes256");
        var s = gw.send("alice@example.com", List.of("bob@partner.example"),
                message("alice@example.com", "bob@partner.example", null, "t1 partner", "MARKER-partner-aes256"));
        assertThat(s.rcpt(0)).startsWith("250");
        MimeMessage got = gw.await("t1", subject("t1 partner"));
        PolicyFixture.Cms cms = PolicyFixture.cms(got);
        assertThat(cms.contentType()).isEqualTo(ENVELOPED);
        assertThat(cms.algorithmOid()).isEqualTo(AES256_CBC);
        // RFC 9788 header protection (SMIMEHeaderProtection: Encrypted by default): the Subject travels inside
        assertThat(got.getSubject()).isEqualTo("[...]");
        assertThat(decrypt(got, bob)).contains("MARKER-partner-aes256").contains("hp=cipher")
                .contains("Subject: t1 partner").contains("HP-Outer: Subject: [...]");
    }

    @Test
    @Order(2)
    void partnerRequiresEncryptionAndRecipientHasNoCertificate_refusedAtRcpt() throws Exception {
        MUST_BE_ENCRYPTED.add("MARKER-nocert");
        var s = gw.send("alice@example.com", List.of("nocert@partner.example"),
                message("alice@example.com", "nocert@partner.example", null, "t2 nocert", "MARKER-nocert"));
        assertThat(s.rcpt(0)).startsWith("550 5.7.1").contains("nocert@partner.example")
                .contains("no usable certificate");
        assertThat(s.dataReply()).isEmpty();
        assertThat(gw.metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.refuse").getCount())
                .isPositive();
    }

    @Test
    @Order(3)
    void partnerBlocksNegotiationAndRecipientAnnouncedOnlyAes128_refusedAtRcpt() throws Exception {
        var s = gw.send("alice@example.com", List.of("old@partner.example"),
                message("alice@example.com", "old@partner.example", null, "t3 old", "MARKER-old"));
        MUST_BE_ENCRYPTED.add("MARKER-old");
        assertThat(s.rcpt(0)).startsWith("550 5.7.1").contains("BlockNegotiation");
    }

    @Test
    @Order(4)
    void financeMustSignWithSha384_signedWithSha384() throws Exception {
        var s = gw.send("finance@example.com", List.of("carol@other.example"),
                message("finance@example.com", "carol@other.example", null, "t4 finance", "MARKER-finance"));
        assertThat(s.rcpt(0)).startsWith("250");
        MimeMessage got = gw.await("t4", subject("t4 finance"));
        assertThat(got.getContentType()).startsWith("multipart/signed").contains("sha-384");
        SMIMESigned signed = new SMIMESigned((MimeMultipart) got.getContent());
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.getDigestAlgOID()).isEqualTo(SHA384);
    }

    @Test
    @Order(5)
    void financeToPartner_signedWithSha384InsideAes256() throws Exception {
        MUST_BE_ENCRYPTED.add("MARKER-finance-partner");
        var s = gw.send("finance@example.com", List.of("bob@partner.example"),
                message("finance@example.com", "bob@partner.example", null, "t5 finance partner",
                        "MARKER-finance-partner"));
        assertThat(s.rcpt(0)).startsWith("250");
        MimeMessage got = gw.await("t5", subject("t5 finance partner"));
        assertThat(PolicyFixture.cms(got).algorithmOid()).isEqualTo(AES256_CBC);
        MimeBodyPart inner = decryptPart(got, bob);
        assertThat(inner.getContentType()).startsWith("multipart/signed").contains("sha-384");
    }

    @Test
    @Order(6)
    void softKeyWithAllowSoftCertsFalse_refusedAtRcpt() throws Exception {
        var s = gw.send("soft@example.com", List.of("carol@other.example"),
                message("soft@example.com", "carol@other.example", null, "t6 soft", "MARKER-soft"));
        assertThat(s.rcpt(0)).startsWith("550 5.7.1").contains("software keystore");
        assertThat(gw.metrics.counter("policy.decision.AllowSMIMESoftCerts.refuse").getCount()).isPositive();
    }

    @Test
    @Order(7)
    void directoryOutage_temporaryAtRcpt() throws Exception {
        MUST_BE_ENCRYPTED.add("MARKER-down");
        var s = gw.send("alice@example.com", List.of("dave@down.example"),
                message("alice@example.com", "dave@down.example", null, "t7 down", "MARKER-down"));
        // RFC 3463 X.4.3 "Directory server failure" (transient), as policy explain shows it (PolicyExplainerTest)
        assertThat(s.rcpt(0)).startsWith("451 4.4.3 ").contains("cannot be asked");
        assertThat(gw.metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.defer").getCount())
                .isPositive();
    }

    @Test
    @Order(8)
    void gcmDomainWithKeyIdentifier_authEnvelopedAes256GcmBySki() throws Exception {
        MUST_BE_ENCRYPTED.add("MARKER-gcm");
        var s = gw.send("alice@example.com", List.of("erin@gcm.example"),
                message("alice@example.com", "erin@gcm.example", null, "t8 gcm", "MARKER-gcm"));
        assertThat(s.rcpt(0)).startsWith("250");
        PolicyFixture.Cms cms = PolicyFixture.cms(gw.await("t8", subject("t8 gcm")));
        assertThat(cms.contentType()).isEqualTo(AUTH_ENVELOPED);
        assertThat(cms.algorithmOid()).isEqualTo(AES256_GCM);
        assertThat(cms.bySubjectKeyIdentifier()).isTrue();
    }

    @Test
    @Order(9)
    void bccRecipientsOfEncryptedMailGetOneMessageEach() throws Exception {
        MUST_BE_ENCRYPTED.add("MARKER-bcc");
        var s = gw.send("alice@example.com",
                List.of("bob@partner.example", "bcc1@partner.example", "bcc2@partner.example"),
                message("alice@example.com", "bob@partner.example", "bcc1@partner.example, bcc2@partner.example",
                        "t9 bcc", "MARKER-bcc"));
        assertThat(s.rcptReplies()).allMatch(r -> r.startsWith("250"));
        gw.await("t9", m -> subject("t9 bcc").test(m) && gw.received(subject("t9 bcc")).size() >= 3);
        List<MimeMessage> copies = gw.received(subject("t9 bcc"));
        assertThat(copies).hasSize(3);
        for (MimeMessage m : copies) {
            assertThat(PolicyFixture.cms(m).recipients()).isEqualTo(1);
            assertThat(m.getHeader("Bcc")).isNull();
        }
    }

    @Test
    @Order(10)
    void nothingRequired_deliveredAsItIs() throws Exception {
        var s = gw.send("alice@example.com", List.of("carol@other.example"),
                message("alice@example.com", "carol@other.example", null, "t10 plain", "MARKER-plain"));
        assertThat(s.rcpt(0)).startsWith("250");
        MimeMessage got = gw.await("t10", subject("t10 plain"));
        // the clear-copy scan below would see this marker: it can fail
        assertThat(raw(got)).contains("MARKER-plain");
        assertThat(gw.metrics.counter("policy.decision.none.send").getCount()).isPositive();
    }

    @Test
    @Order(11)
    void tripleWrap_signedEncryptedSigned() throws Exception {
        MUST_BE_ENCRYPTED.add("MARKER-wrap");
        var s = gw.send("finance@example.com", List.of("frank@wrap.example"),
                message("finance@example.com", "frank@wrap.example", null, "t11 wrap", "MARKER-wrap"));
        assertThat(s.rcpt(0)).startsWith("250");
        MimeMessage got = gw.await("t11", subject("t11 wrap"));
        assertThat(got.getContentType()).startsWith("multipart/signed").contains("sha-384");
        MimeMultipart outer = (MimeMultipart) got.getContent();
        MimeBodyPart encrypted = (MimeBodyPart) outer.getBodyPart(0);
        assertThat(encrypted.getContentType()).contains("application/pkcs7-mime").contains("enveloped-data");
        MimeBodyPart inner = decryptPart(PolicyFixture.copy(wrap(encrypted)), frank);
        assertThat(inner.getContentType()).startsWith("multipart/signed").contains("sha-384");
    }

    @Test
    @Order(12)
    void opaqueSigningForARecipientDomainWithOwaClearSignFalse() throws Exception {
        var s = gw.send("finance@example.com", List.of("olga@opaque.example"),
                message("finance@example.com", "olga@opaque.example", null, "t12 opaque", "MARKER-opaque"));
        assertThat(s.rcpt(0)).startsWith("250");
        MimeMessage got = gw.await("t12", subject("t12 opaque"));
        assertThat(got.getContentType()).contains("application/pkcs7-mime").contains("signed-data");
        assertThat(new SMIMESigned(got).getSignerInfos().getSigners().iterator().next().getDigestAlgOID())
                .isEqualTo(SHA384);
    }

    /** A message whose whole body is this part (the encrypted layer inside a triple wrap). */
    static MimeMessage wrap(MimeBodyPart part) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        part.writeTo(out);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(out.toByteArray()));
    }

    // ------------------------------------------------------------------ inbound

    @Test
    @Order(20)
    void inboundToLegalUnsigned_rejectedWithDsn() throws Exception {
        var s = gw.send("ext@outside.example", List.of("legal@example.com"),
                message("ext@outside.example", "legal@example.com", null, "t20 unsigned", "MARKER-legal-unsigned"));
        assertThat(s.dataReply()).hasValueSatisfying(r -> assertThat(r).startsWith("250"));
        String report = gw.awaitDsn("ext@outside.example", "t20 unsigned");
        assertThat(report).contains("multipart/report").contains("Final-Recipient: rfc822; legal@example.com")
                .contains("Status: 5.7.1").contains("not signed");
        assertThat(gw.received(subject("t20 unsigned"))).isEmpty();
        assertThat(gw.metrics.counter("policy.decision.RequireSignedSMIMEMessages.reject").getCount())
                .isPositive();
    }

    @Test
    @Order(21)
    void inboundToLegalSignedByTrustedCa_delivered() throws Exception {
        MimeMessage signed = signedBy(external, "ext@outside.example", "legal@example.com", "t21 signed",
                "MARKER-legal-signed");
        var s = gw.send("ext@outside.example", List.of("legal@example.com"), raw(signed));
        assertThat(s.dataReply()).hasValueSatisfying(r -> assertThat(r).startsWith("250"));
        MimeMessage got = gw.await("t21", subject("t21 signed"));
        assertThat(got.getHeader("X-SMIME-Status")).containsExactly("valid");
    }

    @Test
    @Order(22)
    void inboundToLegalSignedByUntrustedCa_rejected() throws Exception {
        TestPki other = TestPki.create("Untrusted");
        MimeMessage signed = signedBy(other.issue("ext2@outside.example"), "ext2@outside.example",
                "legal@example.com", "t22 untrusted", "MARKER-legal-untrusted");
        gw.send("ext2@outside.example", List.of("legal@example.com"), raw(signed));
        String report = gw.awaitDsn("ext2@outside.example", "t22 untrusted");
        assertThat(report).contains("Status: 5.7.1").contains("not trusted");
        assertThat(gw.received(subject("t22 untrusted"))).isEmpty();
    }

    @Test
    @Order(23)
    void inboundToRecordsUnsigned_quarantinedWithReason() throws Exception {
        var s = gw.send("ext@outside.example", List.of("records@example.com", "someone@example.com"),
                message("ext@outside.example", "records@example.com", null, "t23 quarantine", "MARKER-records"));
        assertThat(s.dataReply()).hasValueSatisfying(r -> assertThat(r).startsWith("250"));
        // someone@example.com requires nothing: delivered; records@example.com: kept in the quarantine
        gw.await("t23", subject("t23 quarantine"));
        SpoolEntry kept = null;
        for (int i = 0; i < 1200 && kept == null; i++) {
            List<SpoolEntry> q = gw.app.spool().list(SpoolArea.QUARANTINE);
            kept = q.isEmpty() ? null : q.get(0);
            if (kept == null) {
                Thread.sleep(100);
            }
        }
        assertThat(kept).isNotNull();
        assertThat(kept.envelope().recipients()).containsExactly("records@example.com");
        assertThat(kept.envelope().attributes().get(SpoolPolicyActions.REASON))
                .contains("signed mail required").contains("not signed");
    }

    // ------------------------------------------------------------------ never in clear

    @Test
    @Order(100)
    void greenMailNeverReceivedAClearCopyOfMailThatHadToBeEncrypted() {
        assertThat(MUST_BE_ENCRYPTED).hasSizeGreaterThanOrEqualTo(6);
        for (MimeMessage m : gw.greenMail().getReceivedMessages()) {
            String raw = raw(m);
            boolean report = raw.contains("multipart/report");
            for (String marker : MUST_BE_ENCRYPTED) {
                if (raw.contains(marker)) {
                    // only a DSN back to the internal sender may quote it
                    assertThat(report).as("clear copy of " + marker).isTrue();
                    assertThat(String.join(",", header(m, "To"))).endsWith("@example.com");
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static String[] header(MimeMessage m, String name) {
        try {
            String[] h = m.getHeader(name);
            return h == null ? new String[0] : h;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static MimeBodyPart decryptPart(MimeMessage m, TestPki.Issued recipient) throws Exception {
        SMIMEEnveloped enveloped = new SMIMEEnveloped(m);
        RecipientInformation ri = enveloped.getRecipientInfos().getRecipients().iterator().next();
        return SMIMEUtil.toMimeBodyPart(ri.getContent(new JceKeyTransEnvelopedRecipient(recipient.privateKey())));
    }

    static String decrypt(MimeMessage m, TestPki.Issued recipient) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        decryptPart(m, recipient).writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static MimeMessage signedBy(TestPki.Issued signer, String from, String to, String subject, String body)
            throws Exception {
        MimeMessage plain = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                message(from, to, null, subject, body).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII)));
        SmimeSigner smimeSigner = new SmimeSigner(SignerSettings.defaults(), new MessageFiles(dir));
        MimeMessage signed = smimeSigner.sign(plain,
                new UserKey(signer.privateKey(), signer.certificate(), signer.chain(), KeyStorage.SOFTWARE),
                Instant.now());
        return PolicyFixture.copy(signed);
    }
}
