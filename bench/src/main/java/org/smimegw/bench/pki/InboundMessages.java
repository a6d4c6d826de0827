package org.smimegw.bench.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.certstore.testing.TestPki.Issued;

/**
 * Mail from a partner for the verify and decrypt+verify scenarios, produced once with Bouncy Castle: a plain message
 * from bob@partner.example to an internal user, clear-signed by bob (SHA-256, with his chain), and optionally
 * encrypted (AES-256-CBC) to the internal user's certificate.
 */
public final class InboundMessages {

    public static final String PARTNER_SENDER = "bob@partner.example";
    public static final String INTERNAL_RECIPIENT = "alice@example.com";

    private InboundMessages() {
    }

    /** Writes the message to {@code file} and returns it as a template (sender bob, recipient alice). */
    public static MessageTemplate create(Path file, int size, Issued signer, Issued recipient, boolean encrypt)
            throws Exception {
        Session session = Session.getInstance(new Properties());
        MessageTemplate plain = MessageTemplate.plain(PARTNER_SENDER, List.of(INTERNAL_RECIPIENT), size);
        MimeMessage original = new MimeMessage(session, new ByteArrayInputStream(plain.content()));

        boolean ec = signer.privateKey().getAlgorithm().startsWith("EC");
        SMIMESignedGenerator sg = new SMIMESignedGenerator();
        sg.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .build(ec ? "SHA256withECDSA" : "SHA256withRSA", signer.privateKey(), signer.certificate()));
        sg.addCertificates(new JcaCertStore(signer.fullChain().subList(0, 2)));
        MimeMultipart signed = sg.generate(original);
        MimeMessage out = new MimeMessage(session);
        copyHeaders(original, out);
        out.setContent(signed);
        out.saveChanges();
        if (encrypt) {
            SMIMEEnvelopedGenerator eg = new SMIMEEnvelopedGenerator();
            if (recipient.certificate().getPublicKey().getAlgorithm().startsWith("EC")) {
                java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
                kpg.initialize(((java.security.interfaces.ECPublicKey) recipient.certificate().getPublicKey())
                        .getParams());
                java.security.KeyPair eph = kpg.generateKeyPair();
                JceKeyAgreeRecipientInfoGenerator kari = new JceKeyAgreeRecipientInfoGenerator(
                        CMSAlgorithm.ECDH_SHA256KDF, eph.getPrivate(), eph.getPublic(), CMSAlgorithm.AES256_WRAP);
                kari.addRecipient(recipient.certificate());
                eg.addRecipientInfoGenerator(kari);
            } else {
                eg.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient.certificate()));
            }
            MimeBodyPart encrypted = eg.generate(out,
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build());
            MimeMessage enc = new MimeMessage(session);
            copyHeaders(original, enc);
            enc.setContent(encrypted.getContent(), encrypted.getContentType());
            enc.setHeader("Content-Transfer-Encoding", "base64");
            enc.setHeader("Content-Disposition", "attachment; filename=\"smime.p7m\"");
            enc.saveChanges();
            out = enc;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(file)) {
            out.writeTo(o);
        }
        return MessageTemplate.fromFile(file, PARTNER_SENDER, List.of(INTERNAL_RECIPIENT));
    }

    private static void copyHeaders(MimeMessage from, MimeMessage to) throws MessagingException, IOException {
        to.setFrom(from.getFrom()[0]);
        to.setRecipients(jakarta.mail.Message.RecipientType.TO, from.getRecipients(jakarta.mail.Message.RecipientType.TO));
        to.setSubject(from.getSubject());
        to.setSentDate(from.getSentDate());
    }
}
