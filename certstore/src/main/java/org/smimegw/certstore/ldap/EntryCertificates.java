package org.smimegw.certstore.ldap;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilities;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;

/**
 * Reads the certificates of one directory entry:
 * <ul>
 *   <li>{@code userSMIMECertificate} (any options, e.g. {@code ;binary}): a PKCS#7 SignedData blob. Every
 *       end-entity certificate in it is published, with the blob's other certificates as its chain and the
 *       SMIMECapabilities of the blob's signer (Outlook signs the blob), when present.</li>
 *   <li>{@code userCertificate} / {@code userCertificate;binary}: one DER certificate per value.</li>
 *   <li>{@code description} values written by the harvest write-back ({@link HarvestNote}) supply the time seen
 *       and capabilities of harvested certificates.</li>
 * </ul>
 * CA certificates are not published. A value that does not parse is logged and skipped; the other values are
 * still read. Duplicates (same SHA-256) are merged ({@link PublishedCertificate#mergedWith}): the longest chain,
 * and the newest capabilities seen (a blob's are dated by its signingTime, a note's by its time seen).
 */
final class EntryCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(EntryCertificates.class);

    static final String USER_SMIME_CERTIFICATE = "userSMIMECertificate";
    static final String USER_CERTIFICATE = "userCertificate";
    static final String DESCRIPTION = "description";

    private EntryCertificates() {
    }

    /** Adds the certificates of {@code entry} to {@code into}, keyed by SHA-256 fingerprint. */
    static void read(Entry entry, String source, Instant now, Map<String, PublishedCertificate> into) {
        Map<String, HarvestNote> notes = notes(entry);
        for (Attribute attribute : entry.getAttributes()) {
            String base = attribute.getBaseName();
            if (base.equalsIgnoreCase(USER_SMIME_CERTIFICATE)) {
                for (byte[] value : attribute.getValueByteArrays()) {
                    readPkcs7(entry, attribute.getName(), value, source, now, notes, into);
                }
            } else if (base.equalsIgnoreCase(USER_CERTIFICATE)) {
                for (byte[] value : attribute.getValueByteArrays()) {
                    readDer(entry, attribute.getName(), value, source, now, notes, into);
                }
            }
        }
    }

    /** Newest first (by notBefore), then by fingerprint for a stable order. */
    static List<PublishedCertificate> sorted(Map<String, PublishedCertificate> certificates) {
        List<PublishedCertificate> list = new ArrayList<>(certificates.values());
        list.sort(Comparator.comparing((PublishedCertificate p) -> p.certificate().getNotBefore()).reversed()
                .thenComparing(p -> sha256(p.certificate())));
        return List.copyOf(list);
    }

    static Map<String, HarvestNote> notes(Entry entry) {
        Map<String, HarvestNote> notes = new LinkedHashMap<>();
        String[] values = entry.getAttributeValues(DESCRIPTION);
        if (values != null) {
            for (String v : values) {
                HarvestNote.parse(v).ifPresent(n -> notes.put(n.sha256(), n));
            }
        }
        return notes;
    }

    private static void readPkcs7(Entry entry, String attribute, byte[] value, String source, Instant now,
                                  Map<String, HarvestNote> notes, Map<String, PublishedCertificate> into) {
        List<X509Certificate> all = new ArrayList<>();
        SmimeCapabilities capabilities = SmimeCapabilities.UNKNOWN;
        Instant announced = null;
        try {
            CMSSignedData signed = new CMSSignedData(value);
            for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
                all.add(der(holder.getEncoded()));
            }
            for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
                SmimeCapabilities found = capabilities(signer.getSignedAttributes());
                if (found.isKnown()) {
                    capabilities = found;
                    announced = signingTime(signer.getSignedAttributes());
                    break;
                }
            }
        } catch (CMSException | CertificateException | java.io.IOException | RuntimeException e) {
            LOG.warn("skipping a {} value of {} that is not a PKCS#7 SignedData with certificates: {}",
                    attribute, entry.getDN(), e.toString());
            return;
        }
        for (X509Certificate certificate : all) {
            if (certificate.getBasicConstraints() >= 0) {
                continue;
            }
            List<X509Certificate> chain = all.stream().filter(c -> !c.equals(certificate)).toList();
            add(certificate, chain, capabilities, announced, source, now, notes, into);
        }
    }

    private static void readDer(Entry entry, String attribute, byte[] value, String source, Instant now,
                                Map<String, HarvestNote> notes, Map<String, PublishedCertificate> into) {
        X509Certificate certificate;
        try {
            certificate = der(value);
        } catch (CertificateException | RuntimeException e) {
            LOG.warn("skipping a {} value of {} that is not a DER certificate: {}", attribute, entry.getDN(),
                    e.toString());
            return;
        }
        if (certificate.getBasicConstraints() < 0) {
            add(certificate, List.of(), SmimeCapabilities.UNKNOWN, null, source, now, notes, into);
        }
    }

    /**
     * One certificate value: its capabilities (announced at {@code announced}, null when undated) and those of the
     * entry's harvest note for it, the newest seen applying; then merged with what the entry's other values had.
     */
    private static void add(X509Certificate certificate, List<X509Certificate> chain, SmimeCapabilities capabilities,
                            Instant announced, String source, Instant now, Map<String, HarvestNote> notes,
                            Map<String, PublishedCertificate> into) {
        String fingerprint = sha256(certificate);
        HarvestNote note = notes.get(fingerprint);
        Instant seen = note != null ? note.seen() : now;
        PublishedCertificate candidate = new PublishedCertificate(certificate, chain, capabilities, source, seen,
                announced);
        if (note != null) {
            candidate = candidate.mergedWith(new PublishedCertificate(certificate, chain, note.capabilities(), source,
                    note.seen()));
        }
        into.merge(fingerprint, candidate, PublishedCertificate::mergedWith);
    }

    private static Instant signingTime(AttributeTable signedAttributes) {
        org.bouncycastle.asn1.cms.Attribute attr = signedAttributes == null ? null
                : signedAttributes.get(CMSAttributes.signingTime);
        if (attr == null || attr.getAttrValues().size() == 0) {
            return null;
        }
        try {
            return Time.getInstance(attr.getAttrValues().getObjectAt(0)).getDate().toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static SmimeCapabilities capabilities(AttributeTable signedAttributes) {
        if (signedAttributes == null) {
            return SmimeCapabilities.UNKNOWN;
        }
        org.bouncycastle.asn1.cms.Attribute attr = signedAttributes.get(PKCSObjectIdentifiers.pkcs_9_at_smimeCapabilities);
        if (attr == null || attr.getAttrValues().size() == 0) {
            return SmimeCapabilities.UNKNOWN;
        }
        List<String> oids = new ArrayList<>();
        SMIMECapabilities caps = SMIMECapabilities.getInstance(attr.getAttrValues().getObjectAt(0));
        for (Object o : caps.getCapabilities(null)) {
            oids.add(((SMIMECapability) o).getCapabilityID().getId());
        }
        return new SmimeCapabilities(oids);
    }

    static X509Certificate der(byte[] encoded) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
    }

    static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** The DER encoding of {@code certificate}. */
    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * A {@code userSMIMECertificate} value: a degenerate (certificates-only, unsigned) PKCS#7 SignedData holding
     * {@code certificate} and {@code chain}, which {@link #read} reads back as {@code certificate} with that chain.
     */
    static byte[] certificatesOnly(X509Certificate certificate, List<X509Certificate> chain) {
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(chain);
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(all));
            return generator.generate(new CMSAbsentContent()).getEncoded();
        } catch (GeneralSecurityException | CMSException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal()
                    + " as PKCS#7", e);
        }
    }

    /** The end-entity certificates of a {@code userSMIMECertificate} value; empty when it is not a PKCS#7 SignedData. */
    static List<X509Certificate> endEntities(byte[] pkcs7) {
        List<X509Certificate> result = new ArrayList<>();
        try {
            for (X509CertificateHolder holder : new CMSSignedData(pkcs7).getCertificates().getMatches(null)) {
                X509Certificate c = der(holder.getEncoded());
                if (c.getBasicConstraints() < 0) {
                    result.add(c);
                }
            }
        } catch (CMSException | CertificateException | java.io.IOException | RuntimeException e) {
            return List.of();
        }
        return result;
    }
}
