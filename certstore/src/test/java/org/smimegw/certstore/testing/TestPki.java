package org.smimegw.certstore.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaCRLStore;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates a throw-away PKI at test time: a root CA, an intermediate CA, and users issued under the intermediate
 * with the usual S/MIME profile (SAN rfc822Name, emailProtection, SKI/AKI), plus the deviations tests need
 * (expired, wrong key usage, no SKI...). Also writes PKCS#12, PEM, DER and CRL files.
 */
public final class TestPki {

    public enum KeyType { RSA_2048, RSA_3072, EC_P256, EC_P384 }

    /** A certificate with its key and the chain above it (intermediate, root). */
    public record Issued(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> chain) {
        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }

        /** Certificate followed by its chain. */
        public List<X509Certificate> fullChain() {
            List<X509Certificate> all = new ArrayList<>();
            all.add(certificate);
            all.addAll(chain);
            return all;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final AtomicLong serials = new AtomicLong(1000 + RANDOM.nextInt(1_000_000));
    private final Issued root;
    private final Issued intermediate;

    private TestPki(String name) {
        try {
            KeyPair rootKeys = generate(KeyType.RSA_2048);
            X500Name rootName = new X500Name("CN=" + name + " Root CA,O=SMIME Gateway Tests");
            X509Certificate rootCert = sign(rootName, rootKeys.getPublic(), rootName, rootKeys.getPrivate(), null,
                    Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(3650)), true,
                    KeyUsage.keyCertSign | KeyUsage.cRLSign, null, null, true, null, null);
            root = new Issued(rootKeys, rootCert, List.of());
            KeyPair interKeys = generate(KeyType.RSA_2048);
            X500Name interName = new X500Name("CN=" + name + " Intermediate CA,O=SMIME Gateway Tests");
            X509Certificate interCert = sign(interName, interKeys.getPublic(), rootName, rootKeys.getPrivate(),
                    rootCert, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(3000)), true,
                    KeyUsage.keyCertSign | KeyUsage.cRLSign, null, null, true, null, null);
            intermediate = new Issued(interKeys, interCert, List.of(rootCert));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create test PKI", e);
        }
    }

    /** A new PKI whose CA names start with {@code name}. */
    public static TestPki create(String name) {
        return new TestPki(name);
    }

    public X509Certificate rootCertificate() {
        return root.certificate();
    }

    public Issued root() {
        return root;
    }

    public Issued intermediate() {
        return intermediate;
    }

    /** A user certificate with the standard S/MIME profile (RSA-2048, sign + encrypt). */
    public Issued issue(String email) {
        return user(email).issue();
    }

    /** A builder for a user certificate issued by the intermediate CA. */
    public UserBuilder user(String email) {
        return new UserBuilder(email);
    }

    /** A CRL from the intermediate CA revoking {@code revoked}, valid from yesterday to {@code nextUpdate}. */
    public X509CRL crl(Instant nextUpdate, X509Certificate... revoked) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    new X509CertificateHolder(intermediate.certificate().getEncoded()).getSubject(),
                    Date.from(Instant.now().minus(Duration.ofDays(1))));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (X509Certificate c : revoked) {
                builder.addCRLEntry(c.getSerialNumber(), Date.from(Instant.now().minus(Duration.ofHours(1))),
                        CRLReason.keyCompromise);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(intermediate.certificate()));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(intermediate.privateKey());
            X509CRLHolder holder = builder.build(signer);
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builder for user certificates; defaults are a valid S/MIME signing+encryption certificate. */
    public final class UserBuilder {
        private final String email;
        private KeyType keyType = KeyType.RSA_2048;
        private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        private int keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyEncipherment;
        private KeyPurposeId[] extendedKeyUsage = {KeyPurposeId.id_kp_emailProtection};
        private boolean subjectKeyIdentifier = true;
        private boolean subjectAltName = true;
        private boolean subjectEmail = true;
        private List<String> altNames;
        private KeyPair keyPair;
        private String crlDistributionPoint;
        private String ocspResponder;

        private UserBuilder(String email) {
            this.email = email;
        }

        public UserBuilder keyType(KeyType type) {
            this.keyType = type;
            if (type == KeyType.EC_P256 || type == KeyType.EC_P384) {
                this.keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyAgreement;
            }
            return this;
        }

        /** Reuses an existing key pair (e.g. one generated inside a PKCS#11 token). */
        public UserBuilder keyPair(KeyPair keyPair) {
            this.keyPair = keyPair;
            return this;
        }

        public UserBuilder validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        /** Bit mask of {@link KeyUsage} constants. */
        public UserBuilder keyUsage(int bits) {
            this.keyUsage = bits;
            return this;
        }

        /** Extended key usages; none at all when empty. */
        public UserBuilder extendedKeyUsage(KeyPurposeId... purposes) {
            this.extendedKeyUsage = purposes;
            return this;
        }

        public UserBuilder withoutSubjectKeyIdentifier() {
            this.subjectKeyIdentifier = false;
            return this;
        }

        public UserBuilder withoutEmailAddress() {
            this.subjectAltName = false;
            this.subjectEmail = false;
            return this;
        }

        /** The address only as the subject's emailAddress (E=), with no subjectAltName extension (legacy profile). */
        public UserBuilder emailInSubjectOnly() {
            this.subjectAltName = false;
            return this;
        }

        /** These rfc822Names in the subjectAltName instead of the builder's address (which stays in the subject). */
        public UserBuilder subjectAltNames(String... emails) {
            this.altNames = List.of(emails);
            return this;
        }

        /** Adds a CRL distribution point (an http URL). */
        public UserBuilder crlDistributionPoint(String url) {
            this.crlDistributionPoint = url;
            return this;
        }

        /** Adds authority information access with an OCSP responder (an http URL). */
        public UserBuilder ocspResponder(String url) {
            this.ocspResponder = url;
            return this;
        }

        public Issued issue() {
            try {
                KeyPair keys = keyPair != null ? keyPair : generate(keyType);
                String cn = subjectEmail ? "CN=" + email + ",E=" + email : "CN=" + email.replace('@', ' ');
                X509Certificate cert = sign(new X500Name(cn + ",O=SMIME Gateway Tests"), keys.getPublic(),
                        new X509CertificateHolder(intermediate.certificate().getEncoded()).getSubject(),
                        intermediate.privateKey(), intermediate.certificate(), notBefore, notAfter, false, keyUsage,
                        extendedKeyUsage, !subjectAltName ? null : altNames != null ? altNames : List.of(email),
                        subjectKeyIdentifier, crlDistributionPoint,
                        ocspResponder);
                return new Issued(keys, cert, List.of(intermediate.certificate(), root.certificate()));
            } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static KeyPair generate(KeyType type) throws GeneralSecurityException {
        switch (type) {
            case RSA_2048, RSA_3072 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(type == KeyType.RSA_2048 ? 2048 : 3072, RANDOM);
                return g.generateKeyPair();
            }
            default -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(type == KeyType.EC_P256 ? "secp256r1" : "secp384r1"), RANDOM);
                return g.generateKeyPair();
            }
        }
    }

    private X509Certificate sign(X500Name subject, PublicKey publicKey, X500Name issuer, PrivateKey issuerKey,
                                 X509Certificate issuerCert, Instant from, Instant to, boolean ca, int keyUsage,
                                 KeyPurposeId[] eku, List<String> emails, boolean ski, String crlUrl, String ocspUrl)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serials.incrementAndGet()),
                Date.from(from), Date.from(to), subject, publicKey);
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(1) : new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        if (ski) {
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
        }
        if (issuerCert != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCert));
        }
        if (eku != null && eku.length > 0) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        if (emails != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(emails.stream()
                    .map(e -> new GeneralName(GeneralName.rfc822Name, e)).toArray(GeneralName[]::new)));
        }
        if (crlUrl != null) {
            GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
            b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[]{
                    new DistributionPoint(new DistributionPointName(names), null, null)}));
        }
        if (ocspUrl != null) {
            b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
        }
        String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    }

    // ---- file writers ----

    /** Writes {@code issued} (key, certificate, chain) as a PKCS#12 file protected by {@code password}. */
    public static Path writePkcs12(Issued issued, Path file, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", issued.privateKey(), password, issued.fullChain().toArray(X509Certificate[]::new));
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password);
            }
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of the given objects (certificates, CRLs, keys) one after the other. */
    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static Path writePem(Path file, Object... objects) {
        try {
            return Files.writeString(file, pem(objects));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writeDer(Path file, X509Certificate certificate) {
        try {
            return Files.write(file, certificate.getEncoded());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Windows serialized certificate store ({@code .sst}) built from the documented layout (docs/sst-format.md):
     * header, optionally a friendly-name property (PropId 0x0B, UTF-16LE) and a SHA-1 hash property (PropId 0x03)
     * before each certificate, the certificates (0x20), the CRLs (0x21), then the twelve-byte end marker.
     */
    public static byte[] sst(List<X509Certificate> certificates, List<X509CRL> crls, boolean withProperties) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[]{0, 0, 0, 0, 'C', 'E', 'R', 'T'});
            for (X509Certificate c : certificates) {
                if (withProperties) {
                    String name = c.getSubjectX500Principal().getName() + "\0";
                    sstEntry(out, 0x0B, name.getBytes(StandardCharsets.UTF_16LE));
                    sstEntry(out, 0x03, java.security.MessageDigest.getInstance("SHA-1").digest(c.getEncoded()));
                }
                sstEntry(out, 0x20, c.getEncoded());
            }
            for (X509CRL crl : crls) {
                sstEntry(out, 0x21, crl.getEncoded());
            }
            out.write(new byte[12]);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sstEntry(ByteArrayOutputStream out, int propId, byte[] value) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(propId).putInt(1).putInt(value.length);
        out.write(header.array());
        out.write(value);
    }

    /** A degenerate PKCS#7 SignedData ({@code .p7b}) holding certificates and CRLs, DER-encoded. */
    public static byte[] p7b(List<X509Certificate> certificates, List<X509CRL> crls) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addCertificates(new JcaCertStore(certificates));
            if (!crls.isEmpty()) {
                gen.addCRLs(new JcaCRLStore(crls));
            }
            return gen.generate(new CMSAbsentContent(), false).getEncoded();
        } catch (GeneralSecurityException | CMSException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL from the intermediate CA with the given validity, revoking {@code revoked} at {@code revokedAt}. */
    public X509CRL crl(Instant thisUpdate, Instant nextUpdate, Instant revokedAt, X509Certificate... revoked) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    new X509CertificateHolder(intermediate.certificate().getEncoded()).getSubject(), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (X509Certificate c : revoked) {
                builder.addCRLEntry(c.getSerialNumber(), Date.from(revokedAt), CRLReason.keyCompromise);
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(intermediate.privateKey());
            return new JcaX509CRLConverter().getCRL(builder.build(signer));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
