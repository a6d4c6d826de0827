package org.smimegw.mailets.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/** Small read-only helpers over X.509 certificates: e-mail addresses, SKI, names for logs. */
public final class Certificates {

    private Certificates() {
    }

    /** The rfc822Name subject alternative names and the subject's emailAddress attributes, lower-cased. */
    public static Set<String> emailAddresses(X509Certificate certificate) {
        Set<String> out = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(1).equals(san.get(0)) && san.get(1) instanceof String s) {
                        out.add(s.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // fall through to the subject
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(PKCSObjectIdentifiers.pkcs_9_at_emailAddress)) {
            if (rdn.getFirst().getValue() instanceof ASN1String s) {
                out.add(s.getString().trim().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    public static boolean hasAddress(X509Certificate certificate, String address) {
        return address != null && emailAddresses(certificate).contains(address.trim().toLowerCase(Locale.ROOT));
    }

    /** The Subject Key Identifier extension's key identifier, or null. */
    public static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    public static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "?";
        }
    }

    /** "subject, serial hex, SHA-256 fingerprint" for logs. */
    public static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " serial=" + certificate.getSerialNumber().toString(16)
                + " sha256=" + sha256Fingerprint(certificate);
    }

    /** The chain without self-signed (root) certificates and without {@code certificate} itself. */
    public static List<X509Certificate> withoutRoots(List<X509Certificate> chain) {
        List<X509Certificate> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!isSelfSigned(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
