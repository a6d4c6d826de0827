package org.smimegw.certstore.importer;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** Everything read from one file: its detected format, certificates (including those of keys), CRLs, and keys. */
public record ParsedFile(CertificateFormat format, List<X509Certificate> certificates, List<X509CRL> crls,
                         List<KeyEntry> keys, List<String> notes) {
    public ParsedFile {
        certificates = List.copyOf(certificates);
        crls = List.copyOf(crls);
        keys = List.copyOf(keys);
        notes = List.copyOf(notes);
    }
}
