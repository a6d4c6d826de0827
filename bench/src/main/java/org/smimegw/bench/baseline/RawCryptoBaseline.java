package org.smimegw.bench.baseline;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.certstore.testing.TestPki.Issued;

/**
 * The crypto ceiling: Bouncy Castle's SMIMESignedGenerator + SMIMEEnvelopedGenerator (SHA-256, AES-256-CBC, RSA key
 * transport or ECDH key agreement) of the same message in a loop in this JVM, output discarded, with the Bouncy
 * Castle provider ("BC", what the gateway's crypto classes use) or the JDK's providers ("JDK").
 */
public final class RawCryptoBaseline {

    private static final Logger LOG = LoggerFactory.getLogger(RawCryptoBaseline.class);

    /** Which JCA providers do the work. */
    public enum Providers { BC, JDK }

    private RawCryptoBaseline() {
    }

    public static CryptoResult run(MessageTemplate message, Issued signer, List<Issued> recipients, String keyType,
                                   Providers providers, int threads, Duration warmup, Duration duration)
            throws Exception {
        Provider bc = new BouncyCastleProvider();
        Session session = Session.getInstance(new Properties());
        // the content entity: the message's Content-* headers and body, as the gateway signs it
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(message.content()));
        java.io.ByteArrayOutputStream entity = new java.io.ByteArrayOutputStream();
        for (String line : java.util.Collections.list(parsed.getAllHeaderLines())) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-")) {
                entity.write((line + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        entity.write('\r');
        entity.write('\n');
        parsed.getRawInputStream().transferTo(entity);
        MimeBodyPart content = new MimeBodyPart(new ByteArrayInputStream(entity.toByteArray()));

        oneMessage(content, signer, recipients, providers, bc); // fail fast before timing
        long warmEnd = System.nanoTime() + warmup.toNanos();
        AtomicLong done = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long measureEnd = warmEnd + duration.toNanos();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("raw-crypto-" + t).start(() -> {
                try {
                    while (System.nanoTime() < warmEnd) {
                        oneMessage(content, signer, recipients, providers, bc);
                    }
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    while (System.nanoTime() < measureEnd) {
                        oneMessage(content, signer, recipients, providers, bc);
                        done.incrementAndGet();
                    }
                    cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        window[0] = warmEnd;
        window[1] = measureEnd;
        double seconds = (window[1] - window[0]) / 1e9;
        CryptoResult r = new CryptoResult("raw " + providers, keyType, message.size(), recipients.size(), threads,
                seconds, done.get(), done.get() / seconds, done.get() > 0 ? cpuNanos.get() / 1e6 / done.get() : 0,
                "bcjmail SMIMESignedGenerator + SMIMEEnvelopedGenerator, "
                + "SHA-256, AES-256-CBC, " + (providers == Providers.BC ? "BC provider" : "JDK providers")
                + ", in memory, output discarded");
        LOG.info("raw crypto {} {}: {} msg/s ({} threads)", providers, keyType,
                String.format("%.1f", r.perSecond()), threads);
        return r;
    }

    static void oneMessage(MimeBodyPart content, Issued signer, List<Issued> recipients, Providers providers,
                           Provider bc) throws Exception {
        boolean ec = signer.privateKey().getAlgorithm().startsWith("EC");
        JcaSimpleSignerInfoGeneratorBuilder sib = new JcaSimpleSignerInfoGeneratorBuilder();
        if (providers == Providers.BC) {
            sib.setProvider(bc);
        }
        SMIMESignedGenerator sg = new SMIMESignedGenerator();
        sg.addSignerInfoGenerator(sib.build(ec ? "SHA256withECDSA" : "SHA256withRSA", signer.privateKey(),
                signer.certificate()));
        sg.addCertificates(new JcaCertStore(List.of(signer.certificate())));
        MimeMultipart signed = sg.generate(content);
        MimeBodyPart signedPart = new MimeBodyPart();
        signedPart.setContent(signed);

        SMIMEEnvelopedGenerator eg = new SMIMEEnvelopedGenerator();
        for (Issued r : recipients) {
            X509Certificate cert = r.certificate();
            if (cert.getPublicKey().getAlgorithm().startsWith("EC")) {
                java.security.KeyPairGenerator kpg = providers == Providers.BC
                        ? java.security.KeyPairGenerator.getInstance("EC", bc)
                        : java.security.KeyPairGenerator.getInstance("EC");
                kpg.initialize(((java.security.interfaces.ECPublicKey) cert.getPublicKey()).getParams());
                java.security.KeyPair eph = kpg.generateKeyPair();
                JceKeyAgreeRecipientInfoGenerator kari = new JceKeyAgreeRecipientInfoGenerator(
                        CMSAlgorithm.ECDH_SHA256KDF, eph.getPrivate(), eph.getPublic(), CMSAlgorithm.AES256_WRAP);
                if (providers == Providers.BC) {
                    kari.setProvider(bc);
                }
                kari.addRecipient(cert);
                eg.addRecipientInfoGenerator(kari);
            } else {
                JceKeyTransRecipientInfoGenerator ktri = new JceKeyTransRecipientInfoGenerator(cert);
                if (providers == Providers.BC) {
                    ktri.setProvider(bc);
                }
                eg.addRecipientInfoGenerator(ktri);
            }
        }
        JceCMSContentEncryptorBuilder enc = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC);
        if (providers == Providers.BC) {
            enc.setProvider(bc);
        }
        MimeBodyPart encrypted = eg.generate(signedPart, enc.build());
        encrypted.writeTo(OutputStream.nullOutputStream());
    }
}
