package org.smimegw.certstore.file;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.file.StoredCertificate.Kind;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.ImportException;

/**
 * One harvested certificate as the store keeps it: a {@code .properties} file with the address, the time the signed
 * mail was seen, the SMIMECapabilities OIDs it announced, the certificate and its chain (base64 DER). One file per
 * certificate and address, named {@code <sha256 of the certificate>-<first 8 hex digits of sha256(address)>}.
 */
record HarvestRecord(String address, X509Certificate certificate, List<X509Certificate> chain,
                     SmimeCapabilities capabilities, Instant seen) {

    HarvestRecord {
        address = normalize(address);
        chain = List.copyOf(chain);
    }

    /** What {@code harvested} says, seen at {@code now} when it does not say when. */
    static HarvestRecord of(HarvestedCertificate harvested, Instant now) {
        return new HarvestRecord(harvested.address(), harvested.certificate(), harvested.chain(),
                harvested.capabilities(), harvested.seen() == null ? now : harvested.seen());
    }

    /** The file name (without suffix) of this certificate for this address. */
    String fileName() {
        return Certificates.sha256(certificate) + "-"
                + Certificates.sha256(address.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    }

    /** The key under which the store finds the record of {@code fingerprint} for {@code address}. */
    static String key(String fingerprint, String address) {
        return fingerprint + ' ' + normalize(address);
    }

    String key() {
        return key(Certificates.sha256(certificate), address);
    }

    /**
     * This record after another {@code sighting} of the same certificate for the same address: the capabilities by
     * the newest-seen rule ({@link SmimeCapabilities#replaces}), the later time seen and the chain seen then.
     */
    HarvestRecord updatedBy(HarvestRecord sighting) {
        boolean later = sighting.seen.isAfter(seen);
        SmimeCapabilities caps = SmimeCapabilities.replaces(sighting.capabilities, sighting.seen, capabilities, seen)
                ? sighting.capabilities : capabilities;
        return new HarvestRecord(address, certificate, later ? sighting.chain : chain, caps,
                later ? sighting.seen : seen);
    }

    /** Whether {@code other} records the same certificate, chain and capabilities (its time seen aside). */
    boolean sameAs(HarvestRecord other) {
        return certificate.equals(other.certificate) && chain.equals(other.chain)
                && capabilities.equals(other.capabilities) && address.equals(other.address);
    }

    StoredCertificate toStored() {
        return new StoredCertificate(Kind.HARVESTED, certificate, chain, Set.of(address), seen, capabilities,
                Certificates.sha256(certificate));
    }

    byte[] format() {
        Properties p = new Properties();
        p.setProperty("address", address);
        p.setProperty("seen", seen.toString());
        p.setProperty("capabilities", String.join(",", capabilities.algorithmOids()));
        try {
            p.setProperty("certificate", Base64.getEncoder().encodeToString(certificate.getEncoded()));
            for (int i = 0; i < chain.size(); i++) {
                p.setProperty("chain." + i, Base64.getEncoder().encodeToString(chain.get(i).getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode harvested certificate", e);
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, "harvested certificate");
        } catch (IOException e) {
            throw new IllegalStateException("cannot format a harvest record in memory", e);
        }
        return w.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads a record written by {@link #format()}.
     *
     * @throws ImportException when a property is missing or does not parse
     */
    static HarvestRecord parse(byte[] content, CertificateFileParser parser) throws ImportException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(content, StandardCharsets.ISO_8859_1)));
        } catch (IOException | IllegalArgumentException e) {
            throw new ImportException("not a harvest record: " + e.getMessage(), e);
        }
        X509Certificate certificate = certificate(parser, p, "certificate");
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; p.getProperty("chain." + i) != null; i++) {
            chain.add(certificate(parser, p, "chain." + i));
        }
        String address = required(p, "address");
        Instant seen;
        try {
            seen = Instant.parse(required(p, "seen"));
        } catch (DateTimeParseException e) {
            throw new ImportException("seen is not an ISO-8601 instant: " + p.getProperty("seen"), e);
        }
        String caps = p.getProperty("capabilities", "");
        List<String> oids = caps.isBlank() ? List.of() : Arrays.asList(caps.split(","));
        return new HarvestRecord(address, certificate, chain, new SmimeCapabilities(oids), seen);
    }

    private static X509Certificate certificate(CertificateFileParser parser, Properties p, String name)
            throws ImportException {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(required(p, name));
        } catch (IllegalArgumentException e) {
            throw new ImportException(name + " is not base64", e);
        }
        List<X509Certificate> certificates = parser.parse(der, null).certificates();
        if (certificates.size() != 1) {
            throw new ImportException(name + " holds " + certificates.size() + " certificates, not one");
        }
        return certificates.get(0);
    }

    private static String required(Properties p, String name) throws ImportException {
        String value = p.getProperty(name);
        if (value == null) {
            throw new ImportException("no " + name);
        }
        return value;
    }

    static String normalize(String address) {
        return address == null ? "" : address.trim().toLowerCase(Locale.ROOT);
    }
}
