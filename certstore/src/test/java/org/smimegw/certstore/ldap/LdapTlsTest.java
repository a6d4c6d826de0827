package org.smimegw.certstore.ldap;

import org.smimegw.certstore.SecretReferences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.testing.TestPki;

/** LDAPS and StartTLS against the in-memory directory with a server certificate issued by the test PKI. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdapTlsTest {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    private TestPki pki;
    private TestPki.Issued alice;
    private SSLContext serverFor127;
    private SSLContext serverForOtherName;
    private SSLContext serverForLocalhost;

    @TempDir
    Path tmp;

    @BeforeAll
    void pki() throws Exception {
        pki = TestPki.create("LDAP TLS");
        alice = pki.issue("alice@example.com");
        serverFor127 = serverContext(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        serverForOtherName = serverContext(new GeneralName(GeneralName.dNSName, "ldap.example.test"));
        serverForLocalhost = serverContext(new GeneralName(GeneralName.dNSName, "localhost"));
    }

    private SSLContext serverContext(GeneralName name) throws Exception {
        KeyPair keys = TestPki.generate(TestPki.KeyType.EC_P256);
        X500Name issuer = new X509CertificateHolder(pki.intermediate().certificate().getEncoded()).getSubject();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(30))),
                new X500Name("CN=directory server"), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(pki.intermediate().privateKey())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", keys.getPrivate(), STORE_PASSWORD, new X509Certificate[] {cert,
                pki.intermediate().certificate(), pki.rootCertificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** A PKCS#12 trust store holding the test root, and a file: reference to its password. */
    private String[] trustStore() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("root", pki.rootCertificate());
        Path file = tmp.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ts.store(out, STORE_PASSWORD);
        }
        Path password = Files.writeString(tmp.resolve("trust.pw"), new String(STORE_PASSWORD));
        return new String[] {file.toString(), "file:" + password};
    }

    private LdapCertificateSource source(LdapConfig config) {
        return new LdapCertificateSource(config, new SecretReferences(Map.<String, String>of()::get),
                java.time.Clock.systemUTC());
    }

    private void addAlice(AdDirectory directory) throws Exception {
        String dn = directory.addUser("Alice Smith", "alice@example.com");
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
    }

    @Test
    void ldapsWithTrustStore() throws Exception {
        try (AdDirectory directory = AdDirectory.start(AdDirectory.Tls.LDAPS, serverFor127, false)) {
            addAlice(directory);
            String[] trust = trustStore();
            LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE)
                    .withTls(false, trust[0], trust[1], false);
            try (LdapCertificateSource source = source(config)) {
                var found = source.lookup("alice@example.com");
                assertThat(found).hasSize(1);
                assertThat(found.get(0).source()).startsWith("ldaps://127.0.0.1:");
            }
        }
    }

    @Test
    void startTlsWithTrustStore() throws Exception {
        try (AdDirectory directory = AdDirectory.start(AdDirectory.Tls.START_TLS, serverFor127, false)) {
            addAlice(directory);
            String[] trust = trustStore();
            LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE)
                    .withTls(true, trust[0], trust[1], false);
            try (LdapCertificateSource source = source(config)) {
                assertThat(source.lookup("alice@example.com")).hasSize(1);
            }
        }
    }

    @Test
    void untrustedServerCertificateIsUnavailable() throws Exception {
        try (AdDirectory directory = AdDirectory.start(AdDirectory.Tls.LDAPS, serverFor127, false)) {
            addAlice(directory);
            LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE); // JVM default trust
            try (LdapCertificateSource source = source(config)) {
                assertThatThrownBy(() -> source.lookup("alice@example.com"))
                        .isInstanceOf(DirectoryUnavailableException.class);
            }
        }
    }

    @Test
    void startTlsWithUntrustedCertificateIsUnavailable() throws Exception {
        try (AdDirectory directory = AdDirectory.start(AdDirectory.Tls.START_TLS, serverFor127, false)) {
            addAlice(directory);
            LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE)
                    .withTls(true, null, null, false);
            try (LdapCertificateSource source = source(config)) {
                assertThatThrownBy(() -> source.lookup("alice@example.com"))
                        .isInstanceOf(DirectoryUnavailableException.class);
            }
        }
    }

    /**
     * Host names are checked against the certificate. (UnboundID's verifier accepts any certificate when the URL
     * names a numeric loopback address, so this uses {@code localhost}; the matching certificate shows that
     * {@code localhost} reaches the server at all.)
     */
    @Test
    void serverCertificateForAnotherHostNameIsUnavailable() throws Exception {
        String[] trust = trustStore();
        try (AdDirectory directory = AdDirectory.start(AdDirectory.Tls.LDAPS, serverForLocalhost, false)) {
            addAlice(directory);
            LdapConfig config = LdapConfig.of(List.of("ldaps://localhost:" + directory.port()), AdDirectory.BASE)
                    .withTls(false, trust[0], trust[1], false);
            try (LdapCertificateSource source = source(config)) {
                assertThat(source.lookup("alice@example.com")).hasSize(1);
            }
        }
        try (AdDirectory directory = AdDirectory.start(AdDirectory.Tls.LDAPS, serverForOtherName, false)) {
            addAlice(directory);
            LdapConfig config = LdapConfig.of(List.of("ldaps://localhost:" + directory.port()), AdDirectory.BASE)
                    .withTls(false, trust[0], trust[1], false);
            try (LdapCertificateSource source = source(config)) {
                assertThatThrownBy(() -> source.lookup("alice@example.com"))
                        .isInstanceOf(DirectoryUnavailableException.class)
                        .hasMessageContaining("ldap.example.test");
            }
        }
    }

    @Test
    void insecureTrustAllAcceptsAnyCertificateWhenExplicitlyConfigured() throws Exception {
        try (AdDirectory directory = AdDirectory.start(AdDirectory.Tls.LDAPS, serverForOtherName, false)) {
            addAlice(directory);
            LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE)
                    .withTls(false, null, null, true);
            try (LdapCertificateSource source = source(config)) {
                assertThat(source.lookup("alice@example.com")).hasSize(1);
            }
        }
    }
}
