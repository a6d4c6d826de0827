package org.smimegw.mailets.corpus;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestCorpus;

/** Reads the third-party samples in the repository's {@code testdata/corpus} ({@link TestCorpus}). */
public final class Corpus {

    public static final Path DIR = TestCorpus.dir();
    private static final Session SESSION = Session.getInstance(new Properties());

    private Corpus() {
    }

    public static Path file(String relative) {
        return DIR.resolve(relative);
    }

    public static MimeMessage message(String relative) throws Exception {
        return new MimeMessage(SESSION, new ByteArrayInputStream(Files.readAllBytes(file(relative))));
    }

    /** Raw CMS (DER, or PEM with -----BEGIN CMS-----) wrapped as an application/pkcs7-mime message. */
    public static MimeMessage cmsAsMessage(String relative, String smimeType, String from) throws Exception {
        byte[] der = Files.readAllBytes(file(relative));
        String text = new String(der, StandardCharsets.ISO_8859_1);
        if (text.startsWith("-----BEGIN")) {
            der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        }
        String raw = "From: " + from + "\r\nTo: someone@example.com\r\nSubject: corpus\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(der) + "\r\n";
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    public static X509Certificate certificate(String relative) throws Exception {
        try (InputStream in = Files.newInputStream(file(relative))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    public static PrivateKey pkcs8(String relative, String algorithm) throws Exception {
        byte[] bytes = Files.readAllBytes(file(relative));
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.startsWith("-----BEGIN")) {
            bytes = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        }
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(bytes));
    }

    public static UserKey key(PrivateKey key, X509Certificate certificate) {
        return new UserKey(key, certificate, List.of(), KeyStorage.SOFTWARE);
    }

    public static List<UserKey> pkcs12(String relative, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file(relative))) {
            ks.load(in, password);
        }
        List<UserKey> keys = new ArrayList<>();
        Enumeration<String> aliases = ks.aliases();
        while (aliases.hasMoreElements()) {
            String alias = aliases.nextElement();
            if (ks.isKeyEntry(alias)) {
                keys.add(key((PrivateKey) ks.getKey(alias, password), (X509Certificate) ks.getCertificate(alias)));
            }
        }
        return keys;
    }

    public static TrustCollection trust(List<X509Certificate> roots, List<X509Certificate> intermediates) {
        return new TrustCollection(roots, intermediates, List.of());
    }
}
