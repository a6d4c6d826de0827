package org.smimegw.certstore.corpus;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.mail.smime.SMIMESigned;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** Test helper: the signer certificate, the other certificates and the signing time of an S/MIME signed mail. */
record SignedMailCertificates(X509Certificate signer, List<X509Certificate> others, Instant signingTime, String from) {

    static SignedMailCertificates read(Path eml) throws Exception {
        MimeMessage msg;
        try (InputStream in = Files.newInputStream(eml)) {
            msg = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        Object content = msg.getContent();
        SMIMESigned signed = content instanceof MimeMultipart mm ? new SMIMESigned(mm) : new SMIMESigned(msg);
        SignerInformation info = signed.getSignerInfos().getSigners().iterator().next();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        @SuppressWarnings("unchecked")
        X509CertificateHolder holder = (X509CertificateHolder) signed.getCertificates().getMatches(info.getSID())
                .iterator().next();
        X509Certificate signer = conv.getCertificate(holder);
        List<X509Certificate> others = new ArrayList<>();
        for (Object o : signed.getCertificates().getMatches(null)) {
            X509Certificate c = conv.getCertificate((X509CertificateHolder) o);
            if (!c.equals(signer)) {
                others.add(c);
            }
        }
        Instant time = null;
        Attribute st = info.getSignedAttributes() == null ? null : info.getSignedAttributes().get(CMSAttributes.signingTime);
        if (st != null) {
            time = Time.getInstance(st.getAttrValues().getObjectAt(0)).getDate().toInstant();
        }
        String from = ((jakarta.mail.internet.InternetAddress) msg.getFrom()[0]).getAddress();
        return new SignedMailCertificates(signer, others, time, from);
    }
}
