package org.smimegw.certstore.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.CertificateInfo;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.importer.ImportReport.Refusal;
import org.smimegw.certstore.importer.ImportReport.RefusalReason;

/**
 * Imports files into the {@link FileCertificateStore} with the admin-facing rules: trust imports take CA
 * certificates (and CRLs) that have not expired; user imports take keys with their certificates (which must carry a
 * Subject Key Identifier) and bare certificates to encrypt to; every certificate read is reported, every refusal
 * has its reason. The format is detected by content.
 */
public final class CertificateImporter {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateImporter.class);

    private final FileCertificateStore store;
    private final CertificateFileParser parser;
    private final Clock clock;

    public CertificateImporter(FileCertificateStore store, CertificateFileParser parser, Clock clock) {
        this.store = store;
        this.parser = parser;
        this.clock = clock;
    }

    /** Roots and intermediates (and any CRLs in the file) for the trust collection. */
    public ImportReport importTrust(Path file) throws ImportException, IOException {
        return importTrust(file.toString(), read(file));
    }

    /**
     * {@link #importTrust(Path)} of a file's content (an upload); {@code name} names it in the report.
     */
    public ImportReport importTrust(String name, byte[] content) throws ImportException, IOException {
        ParsedFile parsed = parser.parse(content, null);
        Instant now = clock.instant();
        Collector c = new Collector(parsed);
        for (X509Certificate cert : parsed.certificates()) {
            CertificateInfo info = c.read(cert);
            if (Certificates.isExpired(cert, now)) {
                c.refuse(info, RefusalReason.EXPIRED, "notAfter " + info.notAfter());
            } else if (!Certificates.isCa(cert) && !isV1Root(cert)) {
                c.refuse(info, RefusalReason.NOT_A_CA, null);
            } else if (c.duplicate(info)) {
                c.refuse(info, RefusalReason.DUPLICATE, null);
            } else {
                store.addTrusted(cert);
                c.imported(info);
            }
        }
        if (!parsed.keys().isEmpty()) {
            c.notes.add("ignored " + parsed.keys().size() + " private key(s): a trust import takes no keys");
        }
        importCrls(parsed.crls(), c);
        return c.report(name);
    }

    /** CRLs only; certificates in the file are reported as read and otherwise ignored. */
    public ImportReport importCrls(Path file) throws ImportException, IOException {
        return importCrls(file.toString(), read(file));
    }

    /** {@link #importCrls(Path)} of a file's content (an upload); {@code name} names it in the report. */
    public ImportReport importCrls(String name, byte[] content) throws ImportException, IOException {
        ParsedFile parsed = parser.parse(content, null);
        Collector c = new Collector(parsed);
        parsed.certificates().forEach(c::read);
        if (!parsed.certificates().isEmpty()) {
            c.notes.add("ignored " + parsed.certificates().size() + " certificate(s): use import-trust or import-user");
        }
        if (parsed.crls().isEmpty()) {
            throw new ImportException("no CRL in the file (format " + parsed.format() + ")");
        }
        importCrls(parsed.crls(), c);
        return c.report(name);
    }

    /**
     * Users' keys and certificates. Keys (PKCS#12, PEM with key) are stored with their certificate, which must carry a
     * Subject Key Identifier. End-entity certificates without a key are imported to encrypt to, unless
     * {@code requireKey} is set or they came in a PKCS#12 file (the signing/decryption channel), where they are refused
     * for lack of a private key. Chain certificates of a key are kept with it.
     *
     * @param password opens PKCS#12 files and encrypted PEM keys (may be null for other formats)
     */
    public ImportReport importUser(Path file, char[] password, boolean requireKey)
            throws ImportException, IOException {
        return importUser(file.toString(), read(file), password, requireKey);
    }

    /** {@link #importUser(Path, char[], boolean)} of a file's content (an upload); {@code name} names it in the report. */
    public ImportReport importUser(String name, byte[] content, char[] password, boolean requireKey)
            throws ImportException, IOException {
        ParsedFile parsed = parser.parse(content, password);
        Instant now = clock.instant();
        Collector c = new Collector(parsed);
        boolean keysNeeded = requireKey || parsed.format() == CertificateFormat.PKCS12;
        Set<X509Certificate> keyCerts = new HashSet<>();
        Set<X509Certificate> chainCerts = new HashSet<>();
        for (KeyEntry k : parsed.keys()) {
            keyCerts.add(k.certificate());
            chainCerts.addAll(k.chain());
        }
        for (X509Certificate user : parsed.certificates()) {
            if (!Certificates.isCa(user)) {   // a user certificate with its CA chain in the same file
                chainCerts.addAll(CertificateFileParser.chainFor(user, parsed.certificates()));
            }
        }
        int keys = 0;
        for (X509Certificate cert : parsed.certificates()) {
            CertificateInfo info = c.read(cert);
            KeyEntry key = parsed.keys().stream().filter(k -> k.certificate().equals(cert)).findFirst().orElse(null);
            if (key == null && chainCerts.contains(cert) && Certificates.isCa(cert)) {
                continue;  // listed as read; kept inside the key's PKCS#12 file
            }
            if (Certificates.isExpired(cert, now)) {
                c.refuse(info, RefusalReason.EXPIRED, "notAfter " + info.notAfter());
            } else if (key == null && Certificates.isCa(cert)) {
                c.refuse(info, RefusalReason.CA_IN_USER_IMPORT, null);
            } else if (key == null && keysNeeded) {
                c.refuse(info, RefusalReason.NO_PRIVATE_KEY, null);
            } else if (key != null && !Certificates.hasSubjectKeyIdentifier(cert)) {
                c.refuse(info, RefusalReason.NO_SUBJECT_KEY_IDENTIFIER, "required for signing and decryption");
            } else if (Certificates.emailAddresses(cert).isEmpty()) {
                c.refuse(info, RefusalReason.NO_EMAIL_ADDRESS, null);
            } else if (c.duplicate(info)) {
                c.refuse(info, RefusalReason.DUPLICATE, null);
            } else if (key != null) {
                store.addUserKey(key.privateKey(), cert, key.chain());
                c.imported(info);
                keys++;
            } else {
                store.addUserCertificate(cert, CertificateFileParser.chainFor(cert, parsed.certificates()));
                c.imported(info);
            }
        }
        c.keys = keys;
        importCrls(parsed.crls(), c);
        return c.report(name);
    }

    /** Old self-signed version 1 roots (no extensions at all) still sit in Windows root stores; RFC 5280 allows them as anchors. */
    private static boolean isV1Root(X509Certificate cert) {
        return cert.getVersion() == 1 && Certificates.isSelfIssued(cert);
    }

    private void importCrls(List<X509CRL> crls, Collector c) throws IOException {
        for (X509CRL crl : crls) {
            c.crlsRead++;
            if (store.containsCrl(crl)) {
                c.notes.add("CRL of '" + Certificates.name(crl.getIssuerX500Principal()) + "' already in the store");
            } else {
                store.addCrl(crl);
                c.crlsImported++;
            }
        }
    }

    private byte[] read(Path file) throws ImportException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + CertificateFileParser.oneLine(e), e);
        }
    }

    private final class Collector {
        final ParsedFile parsed;
        final List<CertificateInfo> read = new ArrayList<>();
        final List<CertificateInfo> imported = new ArrayList<>();
        final List<Refusal> refused = new ArrayList<>();
        final List<String> notes;
        final Set<String> seen = new HashSet<>();
        int keys;
        int crlsRead;
        int crlsImported;

        Collector(ParsedFile parsed) {
            this.parsed = parsed;
            this.notes = new ArrayList<>(parsed.notes());
        }

        CertificateInfo read(X509Certificate cert) {
            CertificateInfo info = CertificateInfo.of(cert);
            read.add(info);
            return info;
        }

        boolean duplicate(CertificateInfo info) {
            return !seen.add(info.sha256()) || store.contains(info.sha256());
        }

        void refuse(CertificateInfo info, RefusalReason reason, String detail) {
            refused.add(new Refusal(info, reason, detail));
            LOG.info("refused {}: {}", info, reason.text());
        }

        void imported(CertificateInfo info) {
            imported.add(info);
            LOG.info("imported {}", info);
        }

        ImportReport report(String file) {
            return new ImportReport(file, parsed.format(), read, imported, refused, keys, crlsRead,
                    crlsImported, notes);
        }
    }
}
