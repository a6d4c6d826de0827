package org.smimegw.bench.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.bouncycastle.mail.smime.SMIMESigned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.certstore.testing.TestPki.Issued;
import org.smimegw.certstore.testing.TestPki.KeyType;

class InboundMessagesTest {

    private static final BenchPki PKI = new BenchPki();

    @TempDir
    Path dir;

    @Test
    void signedMessageVerifiesWithBobsCertificate() throws Exception {
        Issued bob = PKI.bob(KeyType.RSA_2048);
        MessageTemplate t = InboundMessages.create(dir.resolve("s.eml"), 5000, bob, PKI.alice(KeyType.RSA_2048), false);
        assertThat(t.sender()).isEqualTo("bob@partner.example");
        assertThat(t.recipients()).containsExactly("alice@example.com");
        MimeMessage m = parse(t.content());
        assertThat(m.getContentType()).startsWith("multipart/signed");
        SMIMESigned signed = new SMIMESigned((MimeMultipart) m.getContent());
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(bob.certificate()))).isTrue();
    }

    @Test
    void encryptedMessageDecryptsWithAlicesKeyToTheSignedMessage() throws Exception {
        Issued alice = PKI.alice(KeyType.RSA_2048);
        MessageTemplate t = InboundMessages.create(dir.resolve("e.eml"), 5000, PKI.bob(KeyType.RSA_2048), alice, true);
        MimeMessage m = parse(t.content());
        assertThat(m.getContentType()).startsWith("application/pkcs7-mime");
        assertThat(m.getHeader("X-Bench-Id")).isNull();
        RecipientInformation r = new SMIMEEnveloped(m).getRecipientInfos().getRecipients().iterator().next();
        byte[] content = r.getContent(new JceKeyTransEnvelopedRecipient(alice.privateKey()));
        MimeBodyPart inner = new MimeBodyPart(new ByteArrayInputStream(content));
        assertThat(inner.getContentType()).startsWith("multipart/signed");
        assertThat(Files.size(dir.resolve("e.eml"))).isGreaterThan(5000);
    }

    private static MimeMessage parse(byte[] crlfDotStuffed) throws Exception {
        // the template is ready for SMTP: CRLF and dot-stuffed (a base64 body never starts a line with a dot)
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(crlfDotStuffed));
    }
}
