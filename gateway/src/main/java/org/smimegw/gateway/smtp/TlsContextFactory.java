package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's TLS keys: from a configured PEM certificate and key, or from a self-signed EC P-256 pair that is
 * generated into a directory under the state directory on first start and reused afterwards. The SMTP front end's
 * STARTTLS ({@code <stateDir>/smtp-tls/}) and the web console ({@code <stateDir>/console-tls/}) use it.
 */
public final class TlsContextFactory {
    private static final Logger log = LoggerFactory.getLogger(TlsContextFactory.class);

    private final Clock clock;

    public TlsContextFactory(Clock clock) {
        this.clock = clock;
    }

    SSLContext create(SmtpConfig.Tls tls, Path stateDir, String hostname) throws IOException {
        return context(keyManagers(tls.certificate(), tls.privateKey(), stateDir.resolve("smtp-tls"), hostname,
                "smtp.tls"), null);
    }

    /** An SSL context with these key managers and trust managers (null: the JDK's default trust). */
    public static SSLContext context(KeyManager[] keyManagers, TrustManager[] trustManagers) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, trustManagers, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * The key managers of the PEM {@code certificate} and {@code privateKey}, or, when {@code certificate} is null, of
     * the self-signed pair in {@code generatedDir} (generated there for {@code hostname} when missing).
     *
     * @param configKey the configuration key named in errors and the log, e.g. {@code smtp.tls}
     */
    public KeyManager[] keyManagers(Path certificate, Path privateKey, Path generatedDir, String hostname,
                                    String configKey) throws IOException {
        Path cert = certificate;
        Path key = privateKey;
        if (cert == null) {
            cert = generatedDir.resolve("certificate.pem");
            key = generatedDir.resolve("private-key.pem");
            if (!Files.exists(cert) || !Files.exists(key)) {
                generateSelfSigned(generatedDir, cert, key, hostname, configKey);
            }
        }
        try {
            List<X509Certificate> chain = readCertificates(cert, configKey);
            PrivateKey pk = readPrivateKey(key, configKey);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("server", pk, pw, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            X509Certificate leaf = chain.get(0);
            log.info("{} certificate subject={} serial={} sha256={}", configKey,
                    leaf.getSubjectX500Principal().getName(), leaf.getSerialNumber().toString(16),
                    HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())));
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException(configKey + ": cannot use certificate " + cert + " with key " + key + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file, String configKey)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(conv.getCertificate(h));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(configKey + ".certificate: no PEM certificate in " + file);
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file, String configKey) throws IOException {
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) {
                    return conv.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return conv.getPrivateKey(info);
                }
            }
        }
        throw new IOException(configKey + ".privateKey: no unencrypted PEM private key in " + file);
    }

    private void generateSelfSigned(Path dir, Path cert, Path key, String hostname, String configKey)
            throws IOException {
        try {
            Files.createDirectories(dir);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            Instant now = clock.instant();
            X500Name subject = new X500Name("CN=" + hostname.replaceAll("[,=+<>#;\"\\\\]", "_"));
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()).setBit(63), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            Path keyTmp = dir.resolve("private-key.pem.tmp");
            Files.deleteIfExists(keyTmp);
            try {
                Files.createFile(keyTmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(keyTmp);
            }
            try (Writer w = Files.newBufferedWriter(keyTmp, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
                 JcaPEMWriter pw = new JcaPEMWriter(w)) {
                pw.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
            }
            Path certTmp = dir.resolve("certificate.pem.tmp");
            try (Writer w = Files.newBufferedWriter(certTmp, StandardCharsets.US_ASCII); JcaPEMWriter pw = new JcaPEMWriter(w)) {
                pw.writeObject(holder);
            }
            Files.move(keyTmp, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.move(certTmp, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("{}: generated a self-signed certificate for {} in {}", configKey, hostname, dir);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException(configKey + ": cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }
}
