package org.smimegw.certstore.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.testing.TestPki;

class CertificateFileParserTest {

    private static final char[] PASSWORD = "s3cret-pass".toCharArray();
    private final TestPki pki = TestPki.create("Parser");
    private final CertificateFileParser parser = new CertificateFileParser();

    @Test
    void sstWithoutPropertiesYieldsTheCertificatesInOrder() throws Exception {
        byte[] sst = TestPki.sst(List.of(pki.rootCertificate(), pki.intermediate().certificate()), List.of(), false);
        ParsedFile parsed = parser.parse(sst, null);
        assertThat(parsed.format()).isEqualTo(CertificateFormat.SST);
        assertThat(parsed.certificates()).containsExactly(pki.rootCertificate(), pki.intermediate().certificate());
        assertThat(parsed.crls()).isEmpty();
        assertThat(parsed.notes()).isEmpty();
    }

    @Test
    void sstWithFriendlyNamePropertiesAndACrlEntry() throws Exception {
        X509CRL crl = pki.crl(Instant.now().plus(Duration.ofDays(7)));
        byte[] sst = TestPki.sst(List.of(pki.rootCertificate(), pki.intermediate().certificate()), List.of(crl), true);
        ParsedFile parsed = parser.parse(sst, null);
        assertThat(parsed.format()).isEqualTo(CertificateFormat.SST);
        assertThat(parsed.certificates()).containsExactly(pki.rootCertificate(), pki.intermediate().certificate());
        assertThat(parsed.crls()).containsExactly(crl);
        assertThat(parsed.notes()).anyMatch(n -> n.contains("skipped 4 property entries"));
    }

    @Test
    void emptyFileIsAnEmptyStore() throws Exception {
        ParsedFile parsed = parser.parse(new byte[0], null);
        assertThat(parsed.format()).isEqualTo(CertificateFormat.EMPTY);
        assertThat(parsed.certificates()).isEmpty();
    }

    @Test
    void sstHeaderOnlyAndEndMarkerOnlyAreEmpty() throws Exception {
        assertThat(parser.parse(TestPki.sst(List.of(), List.of(), false), null).certificates()).isEmpty();
        assertThat(parser.parse(new byte[]{0, 0, 0, 0, 'C', 'E', 'R', 'T'}, null).certificates()).isEmpty();
    }

    @Test
    void truncatedSstIsReportedWithItsOffset() {
        byte[] sst = TestPki.sst(List.of(pki.rootCertificate()), List.of(), false);
        byte[] cut = java.util.Arrays.copyOf(sst, sst.length - 100);
        assertThatThrownBy(() -> parser.parse(cut, null)).isInstanceOf(ImportException.class)
                .hasMessageContaining("offset 8").hasMessageContaining("claims");
    }

    @Test
    void pemBundleWithCertificatesCrlAndPkcs7() throws Exception {
        X509CRL crl = pki.crl(Instant.now().plus(Duration.ofDays(7)));
        TestPki.Issued alice = pki.issue("alice@example.com");
        String p7 = "-----BEGIN PKCS7-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                        TestPki.p7b(List.of(alice.certificate()), List.of()))
                + "\n-----END PKCS7-----\n";
        String pem = "Bag Attributes: junk before the first block\n"
                + TestPki.pem(pki.rootCertificate(), pki.intermediate().certificate(), crl) + p7;
        ParsedFile parsed = parser.parse(pem.getBytes(StandardCharsets.US_ASCII), null);
        assertThat(parsed.format()).isEqualTo(CertificateFormat.PEM);
        assertThat(parsed.certificates()).containsExactly(pki.rootCertificate(), pki.intermediate().certificate(),
                alice.certificate());
        assertThat(parsed.crls()).containsExactly(crl);
    }

    @Test
    void pemWithPrivateKeyPairsItWithItsCertificate() throws Exception {
        TestPki.Issued bob = pki.issue("bob@example.com");
        String pem = TestPki.pem(bob.privateKey(), bob.certificate(), pki.intermediate().certificate());
        ParsedFile parsed = parser.parse(pem.getBytes(StandardCharsets.US_ASCII), null);
        assertThat(parsed.keys()).singleElement().satisfies(k -> {
            assertThat(k.certificate()).isEqualTo(bob.certificate());
            assertThat(k.chain()).containsExactly(pki.intermediate().certificate());
        });
    }

    @Test
    void derCertificateAndDerCrl() throws Exception {
        X509CRL crl = pki.crl(Instant.now().plus(Duration.ofDays(7)));
        ParsedFile cert = parser.parse(pki.rootCertificate().getEncoded(), null);
        assertThat(cert.format()).isEqualTo(CertificateFormat.DER_CERTIFICATE);
        assertThat(cert.certificates()).containsExactly(pki.rootCertificate());
        ParsedFile crlFile = parser.parse(crl.getEncoded(), null);
        assertThat(crlFile.format()).isEqualTo(CertificateFormat.DER_CRL);
        assertThat(crlFile.crls()).containsExactly(crl);
    }

    @Test
    void p7bWithCertificatesAndCrls() throws Exception {
        X509CRL crl = pki.crl(Instant.now().plus(Duration.ofDays(7)));
        ParsedFile parsed = parser.parse(TestPki.p7b(List.of(pki.rootCertificate(), pki.intermediate().certificate()),
                List.of(crl)), null);
        assertThat(parsed.format()).isEqualTo(CertificateFormat.PKCS7);
        assertThat(parsed.certificates()).containsExactlyInAnyOrder(pki.rootCertificate(),
                pki.intermediate().certificate());
        assertThat(parsed.crls()).containsExactly(crl);
    }

    @Test
    void pkcs12WithRightPassword(@TempDir Path dir) throws Exception {
        TestPki.Issued carol = pki.issue("carol@example.com");
        Path p12 = TestPki.writePkcs12(carol, dir.resolve("carol.p12"), PASSWORD);
        ParsedFile parsed = parser.parse(Files.readAllBytes(p12), PASSWORD);
        assertThat(parsed.format()).isEqualTo(CertificateFormat.PKCS12);
        assertThat(parsed.keys()).singleElement().satisfies(k -> {
            assertThat(k.certificate()).isEqualTo(carol.certificate());
            assertThat(k.privateKey().getEncoded()).isEqualTo(carol.privateKey().getEncoded());
            assertThat(k.chain()).containsExactly(pki.intermediate().certificate(), pki.rootCertificate());
        });
    }

    @Test
    void pkcs12WithWrongPasswordSaysWrongPassword(@TempDir Path dir) throws Exception {
        Path p12 = TestPki.writePkcs12(pki.issue("dave@example.com"), dir.resolve("dave.p12"), PASSWORD);
        byte[] data = Files.readAllBytes(p12);
        assertThatThrownBy(() -> parser.parse(data, "not-it".toCharArray()))
                .isInstanceOf(WrongPasswordException.class).hasMessageContaining("wrong password");
        assertThatThrownBy(() -> parser.parse(data, null))
                .isInstanceOf(ImportException.class).isNotInstanceOf(WrongPasswordException.class)
                .hasMessageContaining("needs a password");
    }

    @Test
    void detectionIgnoresTheFileName(@TempDir Path dir) throws Exception {
        // a DER certificate named .sst, a P7B named .pem, an SST named .cer, a PKCS#12 named .crt
        Path derAsSst = TestPki.writeDer(dir.resolve("roots.sst"), pki.rootCertificate());
        Path p7bAsPem = Files.write(dir.resolve("chain.pem"), TestPki.p7b(List.of(pki.rootCertificate()), List.of()));
        Path sstAsCer = Files.write(dir.resolve("root.cer"), TestPki.sst(List.of(pki.rootCertificate()), List.of(), true));
        Path p12AsCrt = TestPki.writePkcs12(pki.issue("erin@example.com"), dir.resolve("erin.crt"), PASSWORD);
        assertThat(parser.detect(Files.readAllBytes(derAsSst))).isEqualTo(CertificateFormat.DER_CERTIFICATE);
        assertThat(parser.detect(Files.readAllBytes(p7bAsPem))).isEqualTo(CertificateFormat.PKCS7);
        assertThat(parser.detect(Files.readAllBytes(sstAsCer))).isEqualTo(CertificateFormat.SST);
        assertThat(parser.detect(Files.readAllBytes(p12AsCrt))).isEqualTo(CertificateFormat.PKCS12);
    }

    @Test
    void garbageIsRefusedWithAOneLineReason() {
        assertThatThrownBy(() -> parser.parse("hello world".getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(ImportException.class).hasMessageContaining("unrecognised format");
        assertThatThrownBy(() -> parser.parse(new byte[]{0x30, 0x03, 0x02, 0x01, 0x05}, null))
                .isInstanceOf(ImportException.class);
    }

    @Test
    void aVersionNumberTooLargeForAnIntIsRefusedAsUnrecognisedDer() {
        // SEQUENCE { INTEGER 2^64, SEQUENCE {} }: shaped like a PKCS#12 PFX but its version overflows an int
        byte[] der = {0x30, 0x0d, 0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x30, 0x00};
        assertThatThrownBy(() -> parser.parse(der, null)).isInstanceOf(ImportException.class)
                .hasMessageContaining("DER data is not a certificate, CRL, PKCS#7 or PKCS#12 structure");
    }
}
