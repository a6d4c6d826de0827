package org.smimegw.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetContext;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.mailets.crypto.TestProviders;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.SmimeContentTypes;
import org.smimegw.mailets.matchers.HasValidSMIMESignature;
import org.smimegw.mailets.matchers.IsSMIMEEncrypted;
import org.smimegw.mailets.matchers.IsSMIMESigned;
import org.smimegw.mailets.matchers.RecipientHasCertificate;
import org.smimegw.mailets.matchers.RecipientIsInternal;
import org.smimegw.mailets.matchers.SenderHasSigningKey;
import org.smimegw.mailets.matchers.SenderIsInternal;
import org.smimegw.mailets.testing.TestStores;
import org.smimegw.mailets.testing.TestMessages;

import com.codahale.metrics.MetricRegistry;

class SmimeMailetsTest {

    static TestPki pki;
    static TestPki.Issued alice;
    static TestPki.Issued bob;
    static TestPki.Issued dave;

    @TempDir
    Path tmp;
    FileCertificateStore fileStore;
    TestStores.SwitchableStore store;
    CertificateValidator validator;
    MetricRegistry metrics;
    Clock clock;
    FakeMailContext context;
    MailetContext mailetContext;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("Mailets");
        alice = pki.issue("alice@internal.example");
        bob = pki.issue("bob@partner.example");
        dave = pki.issue("dave@partner.example");
    }

    @BeforeEach
    void setUp() throws Exception {
        fileStore = TestStores.fileStore(tmp.resolve("gateway"), pki);
        TestStores.addUser(fileStore, alice);
        TestStores.publish(fileStore, bob);
        TestStores.publish(fileStore, dave);
        store = new TestStores.SwitchableStore(fileStore);
        validator = new PkixCertificateValidator(fileStore::trust, CertStoreConfig.Revocation.defaults());
        metrics = new MetricRegistry();
        clock = Clock.systemUTC();
        context = FakeMailContext.defaultContext();
        // FakeMailContext knows only localhost; the gateway answers isLocalServer from its internal domains
        mailetContext = (MailetContext) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailetContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isLocalServer")) {
                        return ((Domain) args[0]).asString().equals("internal.example");
                    }
                    try {
                        return method.invoke(context, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private <T extends Mailet> T init(T mailet, String... params) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName(mailet.getClass().getSimpleName())
                .mailetContext(mailetContext);
        if (!(mailet instanceof StripSMIMEHeaders)) {
            config.setProperty("temporaryDirectory", tmp.toString());
        }
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    private <T extends Matcher> T matcher(T matcher, String condition) throws MessagingException {
        matcher.init(FakeMatcherConfig.builder().matcherName(matcher.getClass().getSimpleName()).mailetContext(mailetContext)
                .condition(condition).build());
        return matcher;
    }

    private static FakeMail mail(MimeMessage message, String sender, String... recipients) throws MessagingException {
        return FakeMail.builder().name("m" + System.nanoTime()).mimeMessage(message).sender(sender)
                .recipients(recipients).state("outbound").build();
    }

    private FakeMail outbound(String... recipients) throws MessagingException {
        return mail(TestMessages.simple("alice@internal.example", String.join(", ", recipients), "hello", "secret text\n"),
                "alice@internal.example", recipients);
    }

    private SMIMESign sign(String... params) throws MessagingException {
        return init(new SMIMESign(store, validator, metrics, clock, TestProviders.providers()), params);
    }

    private SMIMEEncrypt encrypt(String... params) throws MessagingException {
        return init(new SMIMEEncrypt(store, validator, metrics, clock, TestProviders.providers()), params);
    }

    private SMIMEVerify verify() throws MessagingException {
        return init(new SMIMEVerify(store, validator, metrics, clock, TestProviders.providers()));
    }

    private SMIMEDecrypt decryptAs(CertificateStore keys) throws MessagingException {
        return init(new SMIMEDecrypt(keys, metrics, TestProviders.providers()));
    }

    private CertificateStore storeOf(String address, TestPki.Issued issued) {
        return TestStores.addUser(TestStores.fileStore(tmp.resolve(address), pki), issued);
    }

    @Test
    void unknownInitParameterIsAStartupError() {
        assertThatThrownBy(() -> sign("digets", "SHA-256")).isInstanceOf(MessagingException.class).hasMessageContaining("digets");
        assertThatThrownBy(() -> encrypt("defaultAlgorithm", "DES")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("defaultAlgorithm");
        assertThatThrownBy(() -> encrypt("algorithms", "AES-128-CBC", "defaultAlgorithm", "AES-256-CBC"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("not in the allowed list");
    }

    @Test
    void badInMemoryLimitIsAStartupError() {
        assertThatThrownBy(() -> sign("inMemoryLimit", "lots")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("inMemoryLimit");
        assertThatThrownBy(() -> encrypt("inMemoryLimit", "-1")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("inMemoryLimit");
    }

    @Test
    void filesOnlySignAndEncryptStillVerifyAndDecrypt() throws Exception {
        FakeMail mail = outbound("bob@partner.example");
        sign("inMemoryLimit", "0").service(mail);
        encrypt("inMemoryLimit", "0").service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("application/pkcs7-mime");
        decryptAs(storeOf("bob@partner.example", bob)).service(mail);
        verify().service(mail);
        assertThat(mail.getMessage().getHeader("X-SMIME-Status")).containsExactly("valid");
        assertThat(mail.getMessage().getSubject()).isEqualTo("hello");
    }

    @Test
    void signThenVerifyMarksValidAndHarvests() throws Exception {
        FakeMail mail = outbound("bob@partner.example");
        sign().service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("multipart/signed");
        assertThat(mail.getMessage().getSubject()).isEqualTo("hello");
        assertThat(SmimeAttributes.get(mail, SmimeAttributes.SIGNED_BY)).contains("alice@internal.example");

        mail.getMessage().setHeader("X-SMIME-Status", "forged");
        verify().service(mail);
        assertThat(mail.getMessage().getHeader("X-SMIME-Status")).containsExactly("valid");
        assertThat(mail.getMessage().getHeader(SmimeHeaders.SIGNER, null)).contains("alice@internal.example");
        assertThat(mail.getMessage().getHeader(SmimeHeaders.ALGORITHMS, null)).contains("SHA-256");
        assertThat(SmimeAttributes.get(mail, SmimeAttributes.STATUS)).contains("valid");
        assertThat(matcher(new HasValidSMIMESignature(), null).match(mail)).isNotEmpty();
        assertThat(matcher(new IsSMIMESigned(), null).match(mail)).isNotEmpty();
        assertThat(store.harvested()).singleElement().satisfies(h -> {
            assertThat(h.address()).isEqualTo("alice@internal.example");
            assertThat(h.capabilities().supports(EncryptionAlgorithm.AES256GCM.oid().getId())).isTrue();
        });
    }

    @Test
    void signerHeaderNamesTheSubjectReadablyWithOneSpace() throws Exception {
        // alice's certificate carries emailAddress in its subject (CN=...,E=...,O=...)
        assertThat(alice.certificate().getSubjectX500Principal().getName()).contains("1.2.840.113549.1.9.1=#");
        FakeMail mail = outbound("bob@partner.example");
        sign().service(mail);
        verify().service(mail);
        String expected = "alice@internal.example (CN=alice@internal.example,E=alice@internal.example,"
                + "O=SMIME Gateway Tests)";
        assertThat(SmimeAttributes.get(mail, SmimeAttributes.SIGNER)).contains(expected);
        // as a reader sees the header after a round trip through the wire format: unfolded, single-spaced
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        mail.getMessage().writeTo(wire);
        MimeMessage read = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(wire.toByteArray()));
        String header = read.getHeader(SmimeHeaders.SIGNER, null);
        assertThat(jakarta.mail.internet.MimeUtility.unfold(header)).isEqualTo(expected);
        assertThat(header.replaceAll("\\r?\\n", " ")).doesNotContain("  ");
    }

    @Test
    void forgedStatusOnUnsignedMailIsReplaced() throws Exception {
        MimeMessage m = TestMessages.simple("mallory@evil.example", "alice@internal.example", "hi", "trust me\n");
        m.setHeader("X-SMIME-Status", "valid");
        m.setHeader("x-smime-signer", "ceo@internal.example");
        FakeMail mail = mail(m, "mallory@evil.example", "alice@internal.example");
        verify().service(mail);
        assertThat(mail.getMessage().getHeader("X-SMIME-Status")).containsExactly("not-signed");
        assertThat(mail.getMessage().getHeader("X-SMIME-Signer")).isNull();
        assertThat(matcher(new HasValidSMIMESignature(), null).match(mail)).isEmpty();
    }

    @Test
    void stripRemovesEveryXSmimeHeader() throws Exception {
        MimeMessage m = TestMessages.simple("mallory@evil.example", "alice@internal.example", "hi", "x\n");
        m.setHeader("X-SMIME-Status", "valid");
        m.setHeader("X-Smime-Anything", "x");
        FakeMail mail = mail(m, "mallory@evil.example", "alice@internal.example");
        init(new StripSMIMEHeaders()).service(mail);
        assertThat(mail.getMessage().getHeader("X-SMIME-Status")).isNull();
        assertThat(mail.getMessage().getHeader("X-Smime-Anything")).isNull();
    }

    @Test
    void tamperedSignatureIsInvalidNotAnException() throws Exception {
        FakeMail mail = outbound("bob@partner.example");
        sign().service(mail);
        String raw = new String(TestMessages.bytes(mail.getMessage()), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("secret text", "secret teXt");
        FakeMail tampered = mail(TestMessages.parse(raw), "alice@internal.example", "bob@partner.example");
        verify().service(tampered);
        assertThat(tampered.getMessage().getHeader("X-SMIME-Status")).containsExactly("invalid-signature");
        assertThat(tampered.getMessage().getHeader("X-SMIME-Reason", null)).contains("digest");
        assertThat(store.harvested()).isEmpty();
    }

    @Test
    void noSigningKeyPassesUnsignedOrGoesToTheProcessor() throws Exception {
        FakeMail mail = mail(TestMessages.simple("nokey@internal.example", "bob@partner.example", "s", "b\n"),
                "nokey@internal.example", "bob@partner.example");
        sign().service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("text/plain");
        assertThat(mail.getState()).isEqualTo("outbound");
        sign("noKeyProcessor", "unsigned").service(mail);
        assertThat(mail.getState()).isEqualTo("unsigned");
        assertThat(matcher(new SenderHasSigningKey(store), null).match(mail)).isEmpty();
        assertThat(matcher(new SenderHasSigningKey(store), null).match(outbound("bob@partner.example"))).isNotEmpty();
    }

    @Test
    void expiredSigningCertificateIsNotUsed() throws Exception {
        TestPki.Issued expired = pki.user("old@internal.example")
                .validity(java.time.Instant.now().minus(java.time.Duration.ofDays(30)), java.time.Instant.now().minus(java.time.Duration.ofDays(1)))
                .issue();
        TestStores.addUser(fileStore, expired);
        FakeMail mail = mail(TestMessages.simple("old@internal.example", "bob@partner.example", "s", "b\n"),
                "old@internal.example", "bob@partner.example");
        sign("noKeyProcessor", "unsigned").service(mail);
        assertThat(mail.getState()).isEqualTo("unsigned");
        assertThat(mail.getMessage().getContentType()).startsWith("text/plain");
    }

    @Test
    void envelopeSenderOptionPicksTheEnvelopeKey() throws Exception {
        FakeMail mail = mail(TestMessages.simple("someone@else.example", "bob@partner.example", "s", "b\n"),
                "alice@internal.example", "bob@partner.example");
        sign("signerAddress", "sender", "mode", "opaque").service(mail);
        assertThat(mail.getMessage().getContentType()).contains("signed-data");
    }

    @Test
    void encryptSplitsRecipientsWithoutCertificate() throws Exception {
        FakeMail mail = outbound("bob@partner.example", "carol@nocert.example");
        assertThat(matcher(new RecipientHasCertificate(store, validator, clock), null).match(mail))
                .containsExactly(new MailAddress("bob@partner.example"));
        encrypt("noCertificateProcessor", "policy-clear").service(mail);

        assertThat(mail.getRecipients()).containsExactly(new MailAddress("bob@partner.example"));
        assertThat(SmimeContentTypes.isEncrypted(mail.getMessage())).isTrue();
        assertThat(matcher(new IsSMIMEEncrypted(), null).match(mail)).isNotEmpty();
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(new MailAddress("carol@nocert.example"));
            assertThat(sent.getState()).isEqualTo("policy-clear");
            assertThat(sent.getMsg().getContentType()).startsWith("text/plain");
        });

        FakeMail received = mail(mail.getMessage(), "alice@internal.example", "bob@partner.example");
        decryptAs(storeOf("bob@partner.example", bob)).service(received);
        // AES-256-CBC and no signature inside: decrypted, but nothing vouches for the content
        assertThat(received.getMessage().getHeader("X-SMIME-Decryption")).containsExactly("decrypted-unauthenticated"
                + " (AES-256-CBC encryption carries no integrity check and no valid signature inside vouches for the"
                + " content: it may have been altered in transit)");
        assertThat(received.getMessage().getContent().toString()).contains("secret text");
        assertThat(SmimeAttributes.get(received, SmimeAttributes.DECRYPTION_ALGORITHM)).contains("AES-256-CBC");
    }

    @Test
    void noRecipientWithCertificateHandsTheWholeMailToTheProcessor() throws Exception {
        FakeMail mail = outbound("carol@nocert.example");
        encrypt().service(mail);
        assertThat(mail.getState()).isEqualTo("no-certificate");
        assertThat(mail.getMessage().getContentType()).startsWith("text/plain");
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void directoryDownIsAnExceptionAndNothingGoesOutInClear() throws Exception {
        FakeMail mail = outbound("bob@partner.example");
        store.setUnavailable(true);
        assertThatThrownBy(() -> encrypt().service(mail)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("unavailable");
        assertThatThrownBy(() -> matcher(new RecipientHasCertificate(store, validator, clock), null).match(mail))
                .isInstanceOf(MessagingException.class);
        assertThat(context.getSentMails()).isEmpty();
        assertThat(mail.getState()).isEqualTo("outbound");
    }

    @Test
    void bccRecipientsGetTheirOwnEncryptedMessage() throws Exception {
        FakeMail mail = mail(TestMessages.simple("alice@internal.example", "bob@partner.example", "s", "secret text\n"),
                "alice@internal.example", "bob@partner.example", "dave@partner.example");
        encrypt("bccFork", "true", "forkProcessor", "transport").service(mail);
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("bob@partner.example"));
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(new MailAddress("dave@partner.example"));
            assertThat(sent.getState()).isEqualTo("transport");
            assertThat(SmimeContentTypes.isEncrypted(sent.getMsg())).isTrue();
        });
        FakeMail atBob = mail(mail.getMessage(), "alice@internal.example", "bob@partner.example");
        decryptAs(storeOf("bob@partner.example", bob)).service(atBob);
        assertThat(atBob.getMessage().getHeader("X-SMIME-Decryption")[0]).startsWith("decrypted-unauthenticated (");
        FakeMail daveReadsBobs = mail(mail.getMessage(), "alice@internal.example", "dave@partner.example");
        decryptAs(storeOf("dave@partner.example", dave)).service(daveReadsBobs);
        assertThat(decryptionVerdict(daveReadsBobs)).isEqualTo("no-key (no key held for any of the 1 recipient(s))");
        assertThat(SmimeContentTypes.isEncrypted(daveReadsBobs.getMessage())).isTrue();
    }

    @Test
    void algorithmFollowsTheRecipientsCapabilities() throws Exception {
        // carol's certificate is known from a signature she sent, announcing only AES-128-CBC
        TestPki.Issued carol = pki.issue("carol@partner.example");
        fileStore.harvest(new HarvestedCertificate("carol@partner.example", carol.certificate(), carol.chain(),
                new SmimeCapabilities(List.of(EncryptionAlgorithm.AES128.oid().getId())), java.time.Instant.now()));
        FakeMail mail = outbound("carol@partner.example");
        encrypt().service(mail);
        assertThat(SmimeAttributes.get(mail, SmimeAttributes.ENCRYPTED_WITH)).contains("AES-128-CBC");

        FakeMail fixed = outbound("bob@partner.example");
        encrypt("negotiation", "fixed", "defaultAlgorithm", "AES-256-GCM").service(fixed);
        assertThat(SmimeAttributes.get(fixed, SmimeAttributes.ENCRYPTED_WITH)).contains("AES-256-GCM");
    }

    @Test
    void encryptToSenderAndTripleWrap() throws Exception {
        FakeMail mail = outbound("bob@partner.example");
        encrypt("encryptToSender", "true", "tripleWrap", "true").service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("multipart/signed");
        FakeMail atAlice = mail(mail.getMessage(), "alice@internal.example", "alice@internal.example");
        verify().service(atAlice);
        assertThat(atAlice.getMessage().getHeader("X-SMIME-Status")).containsExactly("valid");
    }

    @Test
    void decryptNeverCrashesAndRefusesNestedEncryptedParts() throws Exception {
        FakeMail enc = outbound("bob@partner.example");
        encrypt().service(enc);
        String encrypted = new String(TestMessages.bytes(enc.getMessage()), java.nio.charset.StandardCharsets.ISO_8859_1);
        String body = encrypted.substring(encrypted.indexOf("\r\n\r\n") + 4);
        String nested = "From: mallory@evil.example\r\nTo: bob@partner.example\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<img src=\"http://evil/\r\n"
                + "--x\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + body + "\r\n--x--\r\n";
        FakeMail efail = mail(TestMessages.parse(nested), "mallory@evil.example", "bob@partner.example");
        decryptAs(storeOf("bob@partner.example", bob)).service(efail);
        assertThat(decryptionVerdict(efail))
                .isEqualTo("nested-refused (an encrypted part inside a multipart/mixed is not decrypted: only a wholly"
                        + " encrypted message is (EFAIL))");
        assertThat(efail.getMessage().getContentType()).startsWith("multipart/mixed");

        String garbage = "From: a@b.example\r\nTo: bob@partner.example\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n";
        FakeMail bad = mail(TestMessages.parse(garbage), "a@b.example", "bob@partner.example");
        decryptAs(storeOf("bob@partner.example", bob)).service(bad);
        assertThat(decryptionVerdict(bad)).isEqualTo("failed (the encrypted data (CMS) is malformed or truncated)");
    }

    /** The X-SMIME-Decryption header, unfolded: the outcome and, unless decrypted, the reason as a comment. */
    private static String decryptionVerdict(Mail mail) throws Exception {
        String[] values = mail.getMessage().getHeader("X-SMIME-Decryption");
        assertThat(values).hasSize(1);
        return jakarta.mail.internet.MimeUtility.unfold(values[0]);
    }

    @Test
    void internalMatchersAskTheContext() throws Exception {
        FakeMail mail = outbound("bob@partner.example", "eve@internal.example");
        assertThat(matcher(new SenderIsInternal(), null).match(mail)).hasSize(2);
        assertThat(matcher(new RecipientIsInternal(), null).match(mail)).containsExactly(new MailAddress("eve@internal.example"));
        FakeMail inbound = mail(TestMessages.simple("x@partner.example", "eve@internal.example", "s", "b\n"),
                "x@partner.example", "eve@internal.example");
        assertThat(matcher(new SenderIsInternal(), null).match(inbound)).isEmpty();
    }

    @Test
    void metricsCountOutcomes() throws Exception {
        FakeMail mail = outbound("bob@partner.example");
        sign().service(mail);
        encrypt().service(mail);
        assertThat(metrics.timer("smime.sign.time").getCount()).isEqualTo(1);
        assertThat(metrics.counter("smime.encrypt.encrypted").getCount()).isEqualTo(1);
    }
}
