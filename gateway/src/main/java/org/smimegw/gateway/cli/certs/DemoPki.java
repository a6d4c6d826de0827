package org.smimegw.gateway.cli.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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

    private static final String SIGNATURE = "SHA256withRSA";

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final JcaX509ExtensionUtils extensions;

    private DemoPki(Clock clock, KeyPair rootKeys, X509Certificate root, JcaX509ExtensionUtils extensions) {
        this.clock = clock;
        this.rootKeys = rootKeys;
        this.root = root;
        this.extensions = extensions;
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
            return new DemoPki(clock, keys, sign(builder, keys), extensions);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("cannot create the demo CA: " + e.getMessage(), e);
        }
    }

    X509Certificate rootCertificate() {
        return root;
    }

    /** A new key pair and an S/MIME certificate for {@code address}, valid for 2 years from an hour ago. */
    Issued issue(String address) throws GeneralSecurityException {
        try {
            KeyPair keys = rsa();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, address)
                    .addRDN(BCStyle.EmailAddress, address).addRDN(BCStyle.O, "smime-gateway demo").build();
            Instant from = clock.instant().minus(Duration.ofHours(1));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(random), Date.from(from),
                    Date.from(from.plus(Duration.ofDays(730))), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(root));
            return new Issued(keys, sign(builder, rootKeys));
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

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKeys.getPrivate())));
    }
}
