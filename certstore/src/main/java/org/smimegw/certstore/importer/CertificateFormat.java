package org.smimegw.certstore.importer;

/** The formats the importers recognise, always by content, never by file name. */
public enum CertificateFormat {
    /** An empty file (an empty serialized store). */
    EMPTY,
    /** PEM text with one or more certificates, CRLs, PKCS#7 blocks or keys. */
    PEM,
    /** One DER X.509 certificate. */
    DER_CERTIFICATE,
    /** One DER CRL. */
    DER_CRL,
    /** PKCS#7 / CMS SignedData carrying certificates and CRLs ({@code .p7b}, {@code .p7c}). */
    PKCS7,
    /** PKCS#12 ({@code .p12}, {@code .pfx}). */
    PKCS12,
    /** Windows serialized certificate store ({@code .sst}). */
    SST
}
