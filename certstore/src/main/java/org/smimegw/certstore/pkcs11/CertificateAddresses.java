package org.smimegw.certstore.pkcs11;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;

/** The e-mail addresses a certificate is for: SAN rfc822Name entries and emailAddress attributes of the subject. */
final class CertificateAddresses {

    private static final int RFC822_NAME = 1;

    private CertificateAddresses() {
    }

    /** Lower-cased addresses, SAN first; empty when the certificate names none. */
    static Set<String> of(X509Certificate certificate) {
        Set<String> addresses = new LinkedHashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() >= 2 && Integer.valueOf(RFC822_NAME).equals(name.get(0))
                            && name.get(1) instanceof String s) {
                        addresses.add(normalize(s));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a broken SAN extension: fall back to the subject
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(PKCSObjectIdentifiers.pkcs_9_at_emailAddress)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(PKCSObjectIdentifiers.pkcs_9_at_emailAddress)) {
                    ASN1Encodable value = atv.getValue();
                    if (value instanceof ASN1String s) {
                        addresses.add(normalize(s.getString()));
                    }
                }
            }
        }
        addresses.remove("");
        return addresses;
    }

    static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
