package org.smimegw.certstore;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/** Small, stateless helpers to name and inspect certificates. */
public final class Certificates {

    private Certificates() {
    }

    /** Lower-case hex SHA-256 of the DER encoding. */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }

    /** Lower-case hex SHA-256 of any DER bytes (CRLs). */
    public static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The e-mail addresses in subjectAltName rfc822Name and in the subject's emailAddress, lower case. */
    public static Set<String> emailAddresses(X509Certificate certificate) {
        Set<String> addresses = new LinkedHashSet<>(subjectAltNameAddresses(certificate));
        addresses.addAll(subjectAddresses(certificate));
        return addresses;
    }

    /**
     * The addresses a signature made with this certificate speaks for, lower case: its subjectAltName rfc822Names,
     * or, only when the certificate has no subjectAltName extension at all, the subject's emailAddress attributes
     * (RFC 8550 3: the subjectAltName is where addresses belong; emailAddress is the legacy place).
     */
    public static Set<String> senderAddresses(X509Certificate certificate) {
        if (certificate.getExtensionValue(Extension.subjectAlternativeName.getId()) != null) {
            return subjectAltNameAddresses(certificate);
        }
        return subjectAddresses(certificate);
    }

    private static Set<String> subjectAltNameAddresses(X509Certificate certificate) {
        Set<String> addresses = new LinkedHashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(1).equals(name.get(0)) && name.get(1) instanceof String s) {
                        addresses.add(s.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a broken SAN names no address
        }
        return addresses;
    }

    private static Set<String> subjectAddresses(X509Certificate certificate) {
        Set<String> addresses = new LinkedHashSet<>();
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (PKCSObjectIdentifiers.pkcs_9_at_emailAddress.equals(atv.getType())) {
                    ASN1Encodable value = atv.getValue();
                    String s = value instanceof ASN1String str ? str.getString() : value.toString();
                    addresses.add(s.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return addresses;
    }

    /** A readable distinguished name: BC style, e.g. "CN=Alice,E=alice@example.com,O=Example" (not OID=#hex). */
    public static String name(javax.security.auth.x500.X500Principal principal) {
        try {
            return new X500Name(BCStyle.INSTANCE, X500Name.getInstance(principal.getEncoded()).getRDNs()).toString();
        } catch (RuntimeException e) {
            return principal.getName();
        }
    }

    public static String subject(X509Certificate certificate) {
        return name(certificate.getSubjectX500Principal());
    }

    public static String issuer(X509Certificate certificate) {
        return name(certificate.getIssuerX500Principal());
    }

    public static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    public static boolean hasSubjectKeyIdentifier(X509Certificate certificate) {
        return certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId()) != null;
    }

    public static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /** Self-issued and signed with its own key: a root. */
    public static boolean isSelfSigned(X509Certificate certificate) {
        if (!isSelfIssued(certificate)) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The Subject Key Identifier extension's key identifier, or null when the certificate has none. */
    public static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return extension == null ? null
                : SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    public static boolean isExpired(X509Certificate certificate, Instant at) {
        return at.isAfter(certificate.getNotAfter().toInstant());
    }

    public static boolean isValidAt(X509Certificate certificate, Instant at) {
        return !at.isBefore(certificate.getNotBefore().toInstant()) && !at.isAfter(certificate.getNotAfter().toInstant());
    }

    /** Key size in bits (RSA modulus, DSA p, EC field), or -1 when unknown (e.g. Ed25519). */
    public static int keySize(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof DSAPublicKey dsa && dsa.getParams() != null) {
            return dsa.getParams().getP().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return -1;
    }

    /** "RSA 2048", "EC 256", "Ed25519". */
    public static String keyDescription(PublicKey key) {
        int size = keySize(key);
        return size > 0 ? key.getAlgorithm() + " " + size : key.getAlgorithm();
    }
}
