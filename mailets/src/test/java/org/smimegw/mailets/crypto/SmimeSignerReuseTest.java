package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.smime.SMIMEAttributes;
import org.bouncycastle.asn1.smime.SMIMEEncryptionKeyPreferenceAttribute;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.mail.smime.SMIMESigned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestMessages;

/**
 * One signer used for several keys and times: what it keeps per certificate (certificate, carried chain,
 * SMIMEEncryptionKeyPreference, description) and per second (signing time) never leaks from one signature into
 * another.
 */
class SmimeSignerReuseTest {

    private static final TestPki PKI = TestPki.create("Reuse");

    private record Signed(X509CertificateHolder signer, Instant signingTime, byte[] preference,
                          Collection<X509CertificateHolder> carried) {
    }

    /** The DER of an SMIMEEncryptionKeyPreference attribute naming {@code issued}'s certificate by issuer+serial. */
    private static byte[] preferenceFor(TestPki.Issued issued) throws Exception {
        X509CertificateHolder h = new X509CertificateHolder(issued.certificate().getEncoded());
        return new SMIMEEncryptionKeyPreferenceAttribute(new IssuerAndSerialNumber(h.getIssuer(), h.getSerialNumber()))
                .getEncoded();
    }

    @SuppressWarnings("unchecked")
    private static Signed parse(MimeMessage message) throws Exception {
        SMIMESigned signed = new SMIMESigned((MimeMultipart) message.getContent());
        SignerInformation info = signed.getSignerInfos().getSigners().iterator().next();
        Collection<X509CertificateHolder> carried = signed.getCertificates().getMatches(null);
        X509CertificateHolder cert = (X509CertificateHolder) signed.getCertificates().getMatches(info.getSID())
                .iterator().next();
        assertThat(info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))).isTrue();
        Attribute time = info.getSignedAttributes().get(CMSAttributes.signingTime);
        Attribute preference = info.getSignedAttributes().get(SMIMEAttributes.encrypKeyPref);
        return new Signed(cert, Time.getInstance(time.getAttrValues().getObjectAt(0)).getDate().toInstant(),
                preference.getEncoded(), carried);
    }

    @Test
    void eachSignatureNamesItsOwnSignerAndTime(@TempDir Path dir) throws Exception {
        SmimeSigner signer = new SmimeSigner(SignerSettings.defaults(), new MessageFiles(dir));
        TestPki.Issued alice = PKI.issue("alice@example.com");
        TestPki.Issued carol = PKI.issue("carol@example.com");
        UserKey aliceKey = new UserKey(alice.privateKey(), alice.certificate(), alice.chain(), KeyStorage.SOFTWARE);
        UserKey carolOnly = new UserKey(carol.privateKey(), carol.certificate(), List.of(), KeyStorage.SOFTWARE);
        MimeMessage plain = TestMessages.simple("alice@example.com", "bob@partner.example", "hi", "text\n");
        // inside the certificates' validity (issued relative to now); the signing time has second precision
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant t1 = second.plusMillis(250);
        Instant t2 = second.plusMillis(7_900);

        Signed a1 = parse(signer.sign(plain, aliceKey, t1));
        Signed c1 = parse(signer.sign(plain, carolOnly, t1));
        Signed a2 = parse(signer.sign(plain, aliceKey, t2));
        Signed a3 = parse(signer.sign(plain, aliceKey, t1.plusMillis(500)));

        assertThat(a1.signer().getSubject().toString()).contains("alice@example.com");
        assertThat(c1.signer().getSubject().toString()).contains("carol@example.com");
        assertThat(a2.signer()).isEqualTo(a1.signer());
        assertThat(a1.signingTime()).isEqualTo(second);
        assertThat(c1.signingTime()).isEqualTo(second);
        assertThat(a2.signingTime()).isEqualTo(second.plusSeconds(7));
        assertThat(a3.signingTime()).isEqualTo(second);
        assertThat(a1.preference()).isEqualTo(preferenceFor(alice)).isEqualTo(a2.preference());
        assertThat(c1.preference()).isEqualTo(preferenceFor(carol));
        // alice's chain (intermediate, no root) is carried; carol's key came without a chain
        assertThat(a1.carried()).hasSize(2);
        assertThat(c1.carried()).hasSize(1);
        assertThat(signer.describe(aliceKey)).contains("alice@example.com").contains(
                Certificates.sha256(alice.certificate()));
        assertThat(signer.describe(carolOnly)).contains("carol@example.com");
    }

    @Test
    void contentWithoutContentHeadersStillGetsThemBeforeSigningAndEncrypting(@TempDir Path dir) throws Exception {
        MessageFiles files = new MessageFiles(dir);
        TestPki.Issued alice = PKI.issue("alice@example.com");
        TestPki.Issued bob = PKI.issue("bob@partner.example");
        // a bare RFC 5322 message: no MIME-Version, no Content-Type, no Content-Transfer-Encoding
        MimeMessage bare = TestMessages.parse("From: alice@example.com\r\nTo: bob@partner.example\r\n"
                + "Subject: bare\r\n\r\nplain words\r\n");
        UserKey aliceKey = new UserKey(alice.privateKey(), alice.certificate(), alice.chain(), KeyStorage.SOFTWARE);
        MimeMessage signed = new SmimeSigner(SignerSettings.defaults(), files).sign(bare, aliceKey, Instant.now());
        MimeMultipart parts = (MimeMultipart) signed.getContent();
        // Bouncy Castle's generator added the headers the bare content lacked
        assertThat(parts.getBodyPart(0).getHeader("Content-Type")).singleElement().asString().startsWith("text/plain");
        assertThat(parts.getBodyPart(0).getHeader("Content-Transfer-Encoding")).containsExactly("7bit");
        MimeMessage encrypted = new SmimeEncryptor(EncryptorSettings.defaults(), files).encrypt(bare,
                List.of(bob.certificate()), EncryptionAlgorithm.AES256);
        DecryptionResult d = new SmimeDecryptor(files).decrypt(encrypted, List.of(
                new UserKey(bob.privateKey(), bob.certificate(), bob.chain(), KeyStorage.SOFTWARE)));
        MimeMessage clear = d.message().orElseThrow();
        assertThat(clear.getContentType()).startsWith("text/plain");
        assertThat(clear.getContent().toString()).isEqualTo("plain words\r\n");
        assertThat(new SmimeVerifier(org.smimegw.mailets.testing.TestValidators.pkix(
                org.smimegw.mailets.testing.TestKeys.trust(PKI)), files).verify(signed, Instant.now()).isValid()).isTrue();
    }

    @Test
    void utcTimeHasSecondPrecision() {
        // the reason one attribute may serve a whole second
        assertThat(new ASN1UTCTime(java.util.Date.from(Instant.parse("2026-11-28T10:00:00.999Z"))).getTime())
                .isEqualTo(new ASN1UTCTime(java.util.Date.from(Instant.parse("2026-11-28T10:00:00.001Z"))).getTime());
    }
}
