package org.smimegw.mailets.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.mailets.crypto.TestProviders;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.mailets.SmimeAttributes;
import org.smimegw.mailets.crypto.SmimeContentTypes;
import org.smimegw.mailets.policy.BccForking;
import org.smimegw.mailets.policy.CertificateStorePolicyFacts;
import org.smimegw.mailets.policy.InboundMessageFacts;
import org.smimegw.mailets.policy.PolicyCheck;
import org.smimegw.mailets.policy.PolicyDecisions;
import org.smimegw.mailets.policy.PolicyLoader;
import org.smimegw.mailets.policy.PolicySet;
import org.smimegw.mailets.testing.TestStores;

import com.codahale.metrics.MetricRegistry;

/**
 * The enforcement mailets with a real policy, file store and PKIX validator: split, refuse (recorded actions),
 * defer (nothing changed), inbound facts from SMIMEVerify/SMIMEDecrypt attributes, Bcc forking modes.
 */
class EnforcementMailetsTest {

    static final String POLICY = """
            domains:
              partner.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
            users:
              legal@internal.example:
                Receiving:
                  RequireSignedSMIMEMessages: true
                  InboundViolationAction: Reject
              records@internal.example:
                Receiving:
                  RequireSignedSMIMEMessages: true
            """;

    static TestPki pki;
    static TestPki.Issued alice;
    static TestPki.Issued bob;

    @TempDir
    Path tmp;
    TestStores.SwitchableStore store;
    PkixCertificateValidator validator;
    PolicyCheck check;
    RecordingActions actions;
    MetricRegistry metrics;
    FakeMailContext context;

    /** Records what the mailets asked for (the gateway's implementation writes DSNs and quarantine entries). */
    static final class RecordingActions implements PolicyActions {
        final List<String> calls = new ArrayList<>();

        @Override
        public void refuse(Mail mail, Collection<MailAddress> recipients, String status, String reason) {
            calls.add("refuse " + recipients + " " + status + " " + reason);
        }

        @Override
        public void quarantine(Mail mail, Collection<MailAddress> recipients, String reason) {
            calls.add("quarantine " + recipients + " " + reason);
        }
    }

    @BeforeAll
    static void pki() {
        pki = TestPki.create("Enforce");
        alice = pki.issue("alice@internal.example");
        bob = pki.issue("bob@partner.example");
    }

    @BeforeEach
    void setUp() throws Exception {
        FileCertificateStore fileStore = TestStores.fileStore(tmp.resolve("store"), pki);
        TestStores.addUser(fileStore, alice);
        TestStores.publish(fileStore, bob);
        store = new TestStores.SwitchableStore(fileStore);
        PolicySet policy = new PolicyLoader().parse("policy.yaml", new StringReader(POLICY));
        validator = new PkixCertificateValidator(fileStore::trust, CertStoreConfig.Revocation.defaults());
        check = new PolicyCheck(() -> policy, new CertificateStorePolicyFacts(store, validator,
                CertificateStorePolicyFacts.domains(Set.of("internal.example")), Clock.systemUTC()),
                new PolicyDecisions());
        actions = new RecordingActions();
        metrics = new MetricRegistry();
        context = FakeMailContext.defaultContext();
    }

    private EnforceOutboundPolicy outbound(String... params) throws MessagingException {
        EnforceOutboundPolicy mailet = new EnforceOutboundPolicy(check, store, validator, actions, metrics,
                Clock.systemUTC(), TestProviders.providers());
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("EnforceOutboundPolicy")
                .mailetContext(context).setProperty("temporaryDirectory", tmp.toString());
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    private EnforceInboundPolicy inbound() throws MessagingException {
        EnforceInboundPolicy mailet = new EnforceInboundPolicy(check, actions, metrics);
        mailet.init(FakeMailetConfig.builder().mailetName("EnforceInboundPolicy").mailetContext(context).build());
        return mailet;
    }

    private static MimeMessage message(String from, String to) throws MessagingException {
        String raw = "From: " + from + "\r\nTo: " + to + "\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nSECRET body\r\n";
        return new MimeMessage(Session.getInstance(new Properties()),
                new java.io.ByteArrayInputStream(raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    private static FakeMail mail(MimeMessage message, String sender, String... recipients) throws MessagingException {
        return FakeMail.builder().name("m" + System.nanoTime()).mimeMessage(message).sender(sender)
                .recipients(recipients).state("outbound").build();
    }

    @Test
    void refusedRecipientIsRemovedWithA571ActionAndTheRestIsEncrypted() throws Exception {
        FakeMail mail = mail(message("alice@internal.example", "bob@partner.example"), "alice@internal.example",
                "bob@partner.example", "nocert@partner.example", "carol@other.example");
        outbound().service(mail);

        assertThat(actions.calls).singleElement().asString()
                .startsWith("refuse [nocert@partner.example] 5.7.1 encryption required")
                .contains("no usable certificate");
        // bob's encrypted copy continues in "transport" as the mail; carol's plain copy is sent on
        assertThat(mail.getState()).isEqualTo("transport");
        List<Mail> all = new ArrayList<>();
        all.add(mail);
        context.getSentMails().forEach(s -> {
            assertThat(s.getState()).isEqualTo("transport");
        });
        assertThat(context.getSentMails()).hasSize(1);
        List<String> encryptedFor = new ArrayList<>();
        List<String> plainFor = new ArrayList<>();
        for (Mail m : all) {
            (SmimeContentTypes.isEncrypted(m.getMessage()) ? encryptedFor : plainFor)
                    .addAll(m.getRecipients().stream().map(MailAddress::asString).toList());
        }
        for (FakeMailContext.SentMail s : context.getSentMails()) {
            (SmimeContentTypes.isEncrypted(s.getMsg()) ? encryptedFor : plainFor)
                    .addAll(s.getRecipients().stream().map(MailAddress::asString).toList());
        }
        assertThat(encryptedFor).containsExactly("bob@partner.example");
        assertThat(plainFor).containsExactly("carol@other.example");
        assertThat(SmimeAttributes.get(mail, SmimeAttributes.ENCRYPTED_WITH)).isPresent()
                .satisfies(v -> assertThat(mail.getRecipients()).extracting(MailAddress::asString)
                        .containsExactly("bob@partner.example"));
        assertThat(metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.refuse").getCount()).isEqualTo(1);
        assertThat(metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.send").getCount()).isEqualTo(1);
        assertThat(metrics.counter("policy.decision.none.send").getCount()).isEqualTo(1);
    }

    @Test
    void pairsThePolicyIsSilentAboutGoUnchangedToTheSilentProcessor() throws Exception {
        MimeMessage original = message("alice@internal.example", "bob@partner.example");
        FakeMail mail = mail(original, "alice@internal.example", "bob@partner.example", "carol@other.example");
        outbound("silentProcessor", "outbound-smime").service(mail);
        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(mail.getRecipients()).extracting(MailAddress::asString).containsExactly("bob@partner.example");
        assertThat(SmimeContentTypes.isEncrypted(mail.getMessage())).isTrue();
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getState()).isEqualTo("outbound-smime");
            assertThat(sent.getRecipients()).extracting(MailAddress::asString).containsExactly("carol@other.example");
            assertThat(SmimeContentTypes.isSigned(sent.getMsg()) || SmimeContentTypes.isEncrypted(sent.getMsg()))
                    .isFalse();
        });
        assertThat(metrics.counter("policy.decision.none.silent").getCount()).isEqualTo(1);
    }

    @Test
    void directoryOutageDefersOnlyThatRecipientTheOthersGoOn() throws Exception {
        store.setUnavailable(true);
        MimeMessage original = message("alice@internal.example", "bob@partner.example");
        FakeMail mail = mail(original, "alice@internal.example", "bob@partner.example", "carol@other.example");
        outbound().service(mail);

        // carol (nothing required) goes on now; bob (encryption required, directory down) waits alone
        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(mail.getRecipients()).extracting(MailAddress::asString).containsExactly("carol@other.example");
        assertThat(context.getSentMails()).singleElement().satisfies(waiting -> {
            assertThat(waiting.getRecipients()).extracting(MailAddress::asString)
                    .containsExactly("bob@partner.example");
            assertThat(waiting.getState()).as("runs this processor again").isEqualTo("outbound");
            assertThat(waiting.getDelay()).hasValueSatisfying(d ->
                    assertThat(d.getTimeUnit().toSeconds(d.getDuration())).isEqualTo(60));
            assertThat(SmimeContentTypes.isEncrypted(waiting.getMsg())).isFalse();
            assertThat(waiting.getAttributes()).containsKey(
                    org.apache.mailet.AttributeName.of(PolicyActions.DEFERRED_SINCE));
        });
        assertThat(actions.calls).isEmpty();
        assertThat(metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.defer").getCount()).isEqualTo(1);
    }

    @Test
    void aRecipientDeferredLongerThanTheLifetimeIsGivenUpWithA443Dsn() throws Exception {
        store.setUnavailable(true);
        FakeMail mail = mail(message("alice@internal.example", "bob@partner.example"), "alice@internal.example",
                "bob@partner.example");
        SmimeAttributes.set(mail, org.apache.mailet.AttributeName.of(PolicyActions.DEFERRED_SINCE),
                java.time.Instant.now().minus(java.time.Duration.ofHours(3)).toString());
        outbound("deferralLifetimeHours", "2").service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).isEmpty();
        assertThat(actions.calls).singleElement().asString().startsWith("refuse [bob@partner.example] 4.4.3 ")
                .contains("cannot be asked").contains("given up after 2 h");
        assertThat(metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.expired").getCount()).isEqualTo(1);
    }

    @Test
    void everyRecipientRefusedGhostsTheMail() throws Exception {
        FakeMail mail = mail(message("alice@internal.example", "x@partner.example"), "alice@internal.example",
                "x@partner.example");
        outbound().service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(actions.calls).hasSize(1);
    }

    @Test
    void unknownParameterIsRefusedAtInit() {
        assertThatThrownBy(() -> outbound("digest", "SHA-256")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("unknown parameter 'digest'");
        assertThatThrownBy(() -> outbound("senderAddress", "reply-to")).hasMessageContaining("senderAddress");
    }

    @Test
    void inboundUnsignedToLegalIsRejectedToRecordsQuarantinedOthersKept() throws Exception {
        FakeMail mail = mail(message("ext@outside.example", "legal@internal.example"), "ext@outside.example",
                "legal@internal.example", "records@internal.example", "bob@internal.example");
        inbound().service(mail);
        assertThat(actions.calls).containsExactly(
                "quarantine [records@internal.example] signed mail required (recipient user records@internal.example"
                        + " (Receiving)) for records@internal.example but the message is not signed",
                "refuse [legal@internal.example] 5.7.1 signed mail required (recipient user legal@internal.example"
                        + " (Receiving)) for legal@internal.example but the message is not signed");
        assertThat(mail.getRecipients()).extracting(MailAddress::asString).containsExactly("bob@internal.example");
    }

    @Test
    void mailReleasedFromTheQuarantinePasses() throws Exception {
        FakeMail mail = mail(message("ext@outside.example", "records@internal.example"), "ext@outside.example",
                "records@internal.example");
        SmimeAttributes.set(mail, org.apache.mailet.AttributeName.of(PolicyActions.RELEASED), "true");
        inbound().service(mail);
        assertThat(actions.calls).isEmpty();
        assertThat(mail.getRecipients()).hasSize(1);
        assertThat(metrics.counter("policy.decision.InboundViolationAction.released").getCount()).isEqualTo(1);
    }

    @Test
    void inboundValidSignatureIsAccepted() throws Exception {
        FakeMail mail = mail(message("ext@outside.example", "legal@internal.example"), "ext@outside.example",
                "legal@internal.example");
        SmimeAttributes.set(mail, SmimeAttributes.STATUS, "valid");
        SmimeAttributes.set(mail, SmimeAttributes.SIGNER, "ext@outside.example (CN=ext)");
        SmimeAttributes.set(mail, SmimeAttributes.ALGORITHMS, "digest=SHA-384; signature=RSA");
        inbound().service(mail);
        assertThat(actions.calls).isEmpty();
        assertThat(mail.getRecipients()).hasSize(1);
        assertThat(metrics.counter("policy.decision.RequireSignedSMIMEMessages.accept").getCount()).isEqualTo(1);
    }

    @Test
    void inboundFactsFollowTheVerifyAndDecryptAttributes() throws Exception {
        FakeMail mail = mail(message("a@b.example", "c@internal.example"), "a@b.example", "c@internal.example");
        assertThat(EnforceInboundPolicy.facts(mail)).isEqualTo(new InboundMessageFacts(
                new InboundMessageFacts.Signature.Unsigned(), new InboundMessageFacts.Encryption.NotEncrypted()));

        SmimeAttributes.set(mail, SmimeAttributes.STATUS, "valid");
        SmimeAttributes.set(mail, SmimeAttributes.ALGORITHMS, "digest=SHA-384; signature=RSA");
        SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION, "decrypted");
        SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION_ALGORITHM, "AES-256-GCM");
        InboundMessageFacts facts = EnforceInboundPolicy.facts(mail);
        assertThat(facts.signature()).isInstanceOfSatisfying(InboundMessageFacts.Signature.Verified.class,
                v -> assertThat(v.digestOid()).isEqualTo("2.16.840.1.101.3.4.2.2"));
        assertThat(facts.encryption()).isEqualTo(
                new InboundMessageFacts.Encryption.Encrypted("2.16.840.1.101.3.4.1.46", 256));

        SmimeAttributes.set(mail, SmimeAttributes.STATUS, "untrusted");
        SmimeAttributes.set(mail, SmimeAttributes.REASON, "NO_PATH_TO_TRUST_ANCHOR");
        assertThat(EnforceInboundPolicy.facts(mail).signature())
                .isInstanceOf(InboundMessageFacts.Signature.Untrusted.class);
        SmimeAttributes.set(mail, SmimeAttributes.STATUS, "invalid-signature");
        assertThat(EnforceInboundPolicy.facts(mail).signature())
                .isInstanceOf(InboundMessageFacts.Signature.Invalid.class);
        // an ambiguous sender is an intact signature that vouches for no one: as untrusted
        SmimeAttributes.set(mail, SmimeAttributes.STATUS, "ambiguous-sender");
        assertThat(EnforceInboundPolicy.facts(mail).signature())
                .isInstanceOf(InboundMessageFacts.Signature.Untrusted.class);
        // CBC content, unauthenticated, still arrived encrypted with its algorithm
        SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION, "decrypted-unauthenticated");
        SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION_ALGORITHM, "AES-256-CBC");
        assertThat(EnforceInboundPolicy.facts(mail).encryption()).isEqualTo(
                new InboundMessageFacts.Encryption.Encrypted("2.16.840.1.101.3.4.1.42", 256));
    }

    /**
     * OWAIncludeCertificateChainAndRootCertificate: the signature carries signer, intermediate and root, also when the
     * key was imported with its chain but without the root (as Windows exports often are): the root is the trust
     * anchor the validator's path ends in. Off (chain without root, the default): no root.
     */
    @Test
    void chainAndRootPutsTheRootIntoTheSignatureEvenWhenTheKeysChainLacksIt() throws Exception {
        TestPki.Issued carol = pki.issue("carol@internal.example");
        TestPki.Issued dan = pki.issue("dan@internal.example");
        FileCertificateStore fileStore = TestStores.fileStore(tmp.resolve("chain-store"), pki);
        fileStore.addUserKey(carol.privateKey(), carol.certificate(), List.of(pki.intermediate().certificate()));
        fileStore.addUserKey(dan.privateKey(), dan.certificate(), List.of(pki.intermediate().certificate()));
        PolicySet policy = new PolicyLoader().parse("policy.yaml", new StringReader("""
                global:
                  RequireSignedSMIMEMessages: true
                users:
                  carol@internal.example:
                    Sending:
                      OWAIncludeCertificateChainAndRootCertificate: true
                """));
        validator = new PkixCertificateValidator(fileStore::trust, CertStoreConfig.Revocation.defaults());
        check = new PolicyCheck(() -> policy, new CertificateStorePolicyFacts(fileStore, validator,
                CertificateStorePolicyFacts.domains(Set.of("internal.example")), Clock.systemUTC()),
                new PolicyDecisions());
        store = new TestStores.SwitchableStore(fileStore);
        assertThat(new org.smimegw.mailets.policy.PolicyExplainer(() -> policy, new CertificateStorePolicyFacts(
                fileStore, validator, CertificateStorePolicyFacts.domains(Set.of("internal.example")),
                Clock.systemUTC()), new PolicyDecisions()).explain("carol@internal.example", "x@other.example"))
                .contains("chain and root");

        FakeMail withRoot = mail(message("carol@internal.example", "x@other.example"), "carol@internal.example",
                "x@other.example");
        outbound().service(withRoot);
        assertThat(carried(withRoot.getMessage())).containsExactlyInAnyOrder(carol.certificate(),
                pki.intermediate().certificate(), pki.rootCertificate());

        FakeMail withoutRoot = mail(message("dan@internal.example", "x@other.example"), "dan@internal.example",
                "x@other.example");
        outbound().service(withoutRoot);
        assertThat(carried(withoutRoot.getMessage())).containsExactlyInAnyOrder(dan.certificate(),
                pki.intermediate().certificate());
    }

    /** The certificates in a clear-signed message's SignedData (Bouncy Castle's parser). */
    private static List<java.security.cert.X509Certificate> carried(MimeMessage signed) throws Exception {
        org.bouncycastle.mail.smime.SMIMESigned parsed = new org.bouncycastle.mail.smime.SMIMESigned(
                (jakarta.mail.internet.MimeMultipart) signed.getContent());
        List<java.security.cert.X509Certificate> out = new ArrayList<>();
        for (org.bouncycastle.cert.X509CertificateHolder h : parsed.getCertificates().getMatches(null)) {
            out.add(new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(h));
        }
        return out;
    }

    @Test
    void bccForkingModes() throws Exception {
        List<MailAddress> r = List.of(new MailAddress("to@x.example"), new MailAddress("b1@x.example"),
                new MailAddress("b2@x.example"));
        Set<String> visible = Set.of("to@x.example");
        assertThat(EnforceOutboundPolicy.forks(r, visible, BccForking.ONE_MESSAGE_PER_BCC_RECIPIENT)).hasSize(3);
        assertThat(EnforceOutboundPolicy.forks(r, visible, BccForking.ONE_MESSAGE_FOR_ALL_BCC_RECIPIENTS))
                .containsExactly(List.of(r.get(0)), List.of(r.get(1), r.get(2)));
        assertThat(EnforceOutboundPolicy.forks(r, visible, BccForking.NO_FORKING)).containsExactly(r);
    }
}
