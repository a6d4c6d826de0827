package org.smimegw.mailets.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMEAuthEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.UserKey;
import org.smimegw.mailets.crypto.DecryptionResult;
import org.smimegw.mailets.crypto.HeaderProtection;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SmimeDecryptor;
import org.smimegw.mailets.crypto.SmimeVerifier;
import org.smimegw.mailets.crypto.TestProviders;
import org.smimegw.mailets.crypto.VerificationResult;
import org.smimegw.mailets.crypto.VerificationStatus;
import org.smimegw.mailets.testing.TestMessages;
import org.smimegw.mailets.testing.TestValidators;

/**
 * RFC 9788 Appendix C.3.1.2's Cryptographic Payload ({@code testdata/corpus/rfc9788}, see its SOURCES.md) with the
 * RFC 9216 sample keys the appendix uses: signed by alice@smime.example and/or encrypted to bob@smime.example here,
 * with the outer header section its HP-Outer records name, then decrypted and verified by the gateway's classes.
 */
class Rfc9788VectorTest {

    static final String PAYLOAD = "rfc9788/smime-signed-enc-hp-baseline.payload.eml";
    static final String OUTER = "Subject: [...]\r\nMessage-ID: <smime-signed-enc-hp-baseline@example>\r\n"
            + "From: Alice <alice@smime.example>\r\nTo: Bob <bob@smime.example>\r\n"
            + "Date: Sat, 20 Feb 2021 10:09:02 -0500\r\nUser-Agent: Sample MUA Version 1.0\r\nMIME-Version: 1.0\r\n";

    @TempDir
    Path tmp;
    MessageFiles files;
    SmimeDecryptor decryptor;
    UserKey bob;

    @BeforeEach
    void setUp() throws Exception {
        files = new MessageFiles(tmp);
        decryptor = new SmimeDecryptor(files, TestProviders.providers());
        bob = Corpus.key(Corpus.pkcs8("rfc9216/certs-and-keys/lamps-bob.decrypt.p8.pem", "RSA"),
                Corpus.certificate("rfc9216/certs-and-keys/lamps-bob.encrypt.crt"));
    }

    static MimeBodyPart payload() throws Exception {
        try (InputStream in = Files.newInputStream(Corpus.file(PAYLOAD))) {
            return new MimeBodyPart(in);
        }
    }

    @Test
    void thePayloadReadsAsTheRfcDescribesIt() throws Exception {
        HeaderProtection.Payload p = HeaderProtection.read(payload()).orElseThrow();
        assertThat(p.mode()).isEqualTo(HeaderProtection.Mode.CIPHER);
        assertThat(p.fields()).extracting(HeaderProtection.Field::name)
                .containsExactly("Subject", "Message-ID", "From", "To", "Date", "User-Agent");
        assertThat(p.hpOuter()).hasSize(6);
        assertThat(p.values("Subject")).containsExactly("smime-signed-enc-hp-baseline");
        MimeMessage outer = TestMessages.parse(OUTER + "Content-Type: text/plain\r\n\r\nx\r\n");
        assertThat(HeaderProtection.verdict(p, outer.getAllHeaderLines())).isEqualTo("ok");
    }

    @Test
    void signedByAliceEncryptedToBobDeliversTheProtectedSubjectOnceTheSignatureIsValid() throws Exception {
        PrivateKey aliceKey = Corpus.pkcs8("rfc9216/certs-and-keys/lamps-alice.p8.pem", "RSA");
        X509Certificate aliceCert = Corpus.certificate("rfc9216/certs-and-keys/lamps-alice.crt");
        SMIMESignedGenerator signer = new SMIMESignedGenerator() {
            @Override
            protected MimeBodyPart makeContentBodyPart(MimeBodyPart content) {
                return content;
            }
        };
        signer.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .setProvider(TestProviders.providers().bouncyCastle()).build("SHA256withRSA", aliceKey, aliceCert));
        signer.addCertificates(new JcaCertStore(List.of(aliceCert)));
        MimeBodyPart signed = signer.generateEncapsulated(payload());
        MimeMessage encrypted = envelope(signed, CMSAlgorithm.AES256_CBC);

        DecryptionResult d = decryptor.decrypt(encrypted, List.of(bob));
        assertThat(d.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(d.headerProtection()).as("the payload is inside the signature").isNull();
        MimeMessage decrypted = d.message().orElseThrow();
        assertThat(decrypted.getHeader("Subject")).containsExactly("[...]");

        SmimeVerifier verifier = new SmimeVerifier(TestValidators.pkix(Corpus.trust(
                List.of(Corpus.certificate("rfc9216/tests/fixtures/rfc9216/Sample_LAMPS_Ed25519_Certification_Authority.selfsigned.pem")),
                List.of(Corpus.certificate("rfc9216/tests/fixtures/rfc9216/Sample_LAMPS_RSA_Certification_Authority.crosssigned.pem")))),
                files, TestProviders.providers());
        VerificationResult v = verifier.verify(decrypted, Instant.now());
        assertThat(v.status()).as(v.reasons().toString()).isEqualTo(VerificationStatus.VALID);
        assertThat(HeaderProtection.promote(decrypted, v.protectedHeaders().orElseThrow())).isEqualTo("ok");
        assertThat(decrypted.getHeader("Subject")).containsExactly("smime-signed-enc-hp-baseline");
        assertThat(decrypted.getHeader("User-Agent")).containsExactly("Sample MUA Version 1.0");
    }

    @Test
    void encryptedOnlyWithGcmIsAuthenticatedAndDelivered() throws Exception {
        DecryptionResult d = decryptor.decrypt(envelope(payload(), CMSAlgorithm.AES256_GCM), List.of(bob));
        assertThat(d.status()).isEqualTo(DecryptionResult.Status.DECRYPTED);
        assertThat(d.headerProtection()).isEqualTo("ok");
        assertThat(d.message().orElseThrow().getHeader("Subject")).containsExactly("smime-signed-enc-hp-baseline");
        assertThat(d.message().orElseThrow().getContent().toString()).startsWith("This is the");
    }

    @Test
    void encryptedOnlyWithCbcHasNothingPromoted() throws Exception {
        DecryptionResult d = decryptor.decrypt(envelope(payload(), CMSAlgorithm.AES256_CBC), List.of(bob));
        assertThat(d.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(d.headerProtection()).isEqualTo("unauthenticated");
        assertThat(d.message().orElseThrow().getHeader("Subject")).containsExactly("[...]");
    }

    @Test
    void anOuterSubjectRewrittenInTransitIsReported() throws Exception {
        MimeMessage encrypted = envelope(payload(), CMSAlgorithm.AES256_GCM);
        encrypted.setHeader("Subject", "Invoice overdue");
        DecryptionResult d = decryptor.decrypt(encrypted, List.of(bob));
        assertThat(d.headerProtection()).isEqualTo("mismatch (Subject)");
        assertThat(d.message().orElseThrow().getHeader("Subject")).containsExactly("smime-signed-enc-hp-baseline");
    }

    /** The message around {@code content} encrypted to Bob: the outer fields of the vector, then the CMS part. */
    private MimeMessage envelope(MimeBodyPart content, ASN1ObjectIdentifier algorithm) throws Exception {
        boolean gcm = algorithm.equals(CMSAlgorithm.AES256_GCM);
        SMIMEEnvelopedGenerator generator = gcm ? new SMIMEAuthEnvelopedGenerator() {
            @Override
            protected MimeBodyPart makeContentBodyPart(MimeBodyPart part) {
                return part;
            }
        } : new SMIMEEnvelopedGenerator() {
            @Override
            protected MimeBodyPart makeContentBodyPart(MimeBodyPart part) {
                return part;
            }
        };
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(bob.certificate())
                .setProvider(TestProviders.providers().bouncyCastle()));
        MimeBodyPart encrypted = generator.generate(content, new JceCMSContentEncryptorBuilder(algorithm)
                .setProvider(TestProviders.providers().bouncyCastle()).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(OUTER.getBytes(StandardCharsets.US_ASCII));
        encrypted.writeTo(out);
        return TestMessages.parse(out.toString(StandardCharsets.ISO_8859_1));
    }
}
