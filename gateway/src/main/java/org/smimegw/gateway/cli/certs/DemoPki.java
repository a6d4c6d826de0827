package org.smimegw.gateway.cli.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for trying the gateway out ({@code certs demo-setup}): a self-signed root and
 * S/MIME user certificates (RSA 2048, SHA-256, key usage digitalSignature + keyEncipherment, extended key usage
 * emailProtection, the address as subjectAltName rfc822Name and subject emailAddress, Subject and Authority Key
 * Identifiers). Never for real mail: its keys exist only on this machine and are not protected.
 */
final class DemoPki {

    /** A user's key pair and the certificate the demo root issued for it. */
    record Issued(KeyPair keyPair, X509Certificate certificate) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final PrivateKey rootKey;
    private final X509Certificate root;
    private final JcaX509ExtensionUtils extensions;

    private DemoPki(Clock clock, PrivateKey rootKey, X509Certificate root, JcaX509ExtensionUtils extensions) {
        this.clock = clock;
        this.rootKey = rootKey;
        this.root = root;
        this.extensions = extensions;
    }

    /** Issues with an existing CA (e.g. the demo root written by {@code demo-setup}, or a test CA). */
    static DemoPki withIssuer(X509Certificate issuer, PrivateKey issuerKey, Clock clock)
            throws GeneralSecurityException {
        if (issuer.getBasicConstraints() < 0) {
            throw new GeneralSecurityException("the issuer certificate is not a CA certificate");
        }
        return new DemoPki(clock, issuerKey, issuer, new JcaX509ExtensionUtils());
    }

    /** A new root CA named {@code CN=<name>,O=smime-gateway demo}, valid for 10 years from an hour ago. */
    static DemoPki create(String name, Clock clock) throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            KeyPair keys = rsa();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name)
                    .addRDN(BCStyle.O, "smime-gateway demo").build();
            Instant from = clock.instant().minus(Duration.ofHours(1));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(new SecureRandom()),
                    Date.from(from), Date.from(from.plus(Duration.ofDays(3650))), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new DemoPki(clock, keys.getPrivate(), sign(builder, keys.getPrivate()), extensions);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("cannot create the demo CA: " + e.getMessage(), e);
        }
    }

    X509Certificate rootCertificate() {
        return root;
    }

    /** The CA's private key (demo-setup writes it so that {@code enroll-token} can issue with the demo CA). */
    PrivateKey rootKey() {
        return rootKey;
    }

    /** A new key pair and an S/MIME certificate for {@code address}, valid for 2 years from an hour ago. */
    Issued issue(String address) throws GeneralSecurityException {
        KeyPair keys = rsa();
        return new Issued(keys, issue(address, keys.getPublic()));
    }

    /**
     * An S/MIME certificate for {@code address} and {@code publicKey} (e.g. of a key generated in a token), valid for 2
     * years from an hour ago; key usage keyEncipherment for RSA, keyAgreement for EC keys.
     */
    X509Certificate issue(String address, PublicKey publicKey) throws GeneralSecurityException {
        try {
            int encipher = "EC".equals(publicKey.getAlgorithm()) ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment;
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, address)
                    .addRDN(BCStyle.EmailAddress, address).addRDN(BCStyle.O, "smime-gateway demo").build();
            Instant from = clock.instant().minus(Duration.ofHours(1));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(random), Date.from(from),
                    Date.from(from.plus(Duration.ofDays(730))), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | encipher))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(root));
            return sign(builder, rootKey);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("cannot issue a demo certificate for " + address + ": "
                    + e.getMessage(), e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(64, random).setBit(63);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm = "EC".equals(issuerKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }
}
