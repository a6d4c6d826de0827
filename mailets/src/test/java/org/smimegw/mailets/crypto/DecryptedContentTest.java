package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.testing.CmsForgery;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.testing.TestKeys;
import org.smimegw.mailets.testing.TestMessages;

/**
 * What decrypted content may do to the delivered message ({@link DeliveredHeaders}): nothing but describe its body.
 * The content is encrypted as an attacker or an odd client writes it ({@link CmsForgery}).
 */
class DecryptedContentTest {

    private static final String OUTER = "From: Eve <eve@evil.example>\r\nTo: johnny@example.com\r\n"
            + "Subject: outer\r\nDate: Mon, 2 Feb 2026 10:00:00 +0000\r\nMessage-ID: <outer@test>\r\n";

    private static TestPki.Issued johnny;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pki() {
        johnny = TestPki.create("Decrypted").issue("johnny@example.com");
    }

    private static MimeMessage smime(String outer, byte[] der, String smimeType) throws Exception {
        return TestMessages.parse(outer + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type="
                + smimeType + "\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\r\n");
    }

    private DecryptionResult decrypt(MimeMessage message) {
        return new SmimeDecryptor(new MessageFiles(tmp)).decrypt(message, List.of(TestKeys.userKey(johnny)));
    }

    private static String raw(MimeMessage m) throws Exception {
        return new String(TestMessages.bytes(m), StandardCharsets.ISO_8859_1);
    }

    private static String headerBlock(MimeMessage m) throws Exception {
        String raw = raw(m);
        return raw.substring(0, raw.indexOf("\r\n\r\n"));
    }

    @Test
    void headersInsideTheContentNeverReachTheHeaderBlock() throws Exception {
        String content = "From: The CEO <ceo@example.com>\r\nTo: all@example.com\r\nSubject: inner\r\n"
                + "Date: Tue, 3 Feb 2026 09:00:00 +0000\r\nMessage-ID: <inner@test>\r\nX-SMIME-Status: valid\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nhello\r\n";
        for (boolean gcm : new boolean[] {false, true}) {
            byte[] der = gcm ? CmsForgery.authEnveloped(content, johnny.certificate())
                    : CmsForgery.enveloped(content, johnny.certificate());
            DecryptionResult r = decrypt(smime(OUTER, der, gcm ? "authEnveloped-data" : "enveloped-data"));
            MimeMessage m = r.message().orElseThrow();
            assertThat(m.getHeader("From")).containsExactly("Eve <eve@evil.example>");
            assertThat(m.getHeader("To")).containsExactly("johnny@example.com");
            assertThat(m.getHeader("Subject")).containsExactly("outer");
            assertThat(m.getHeader("Date")).containsExactly("Mon, 2 Feb 2026 10:00:00 +0000");
            assertThat(m.getHeader("Message-ID")).containsExactly("<outer@test>");
            assertThat(m.getHeader("X-SMIME-Status")).isNull();
            assertThat(m.getHeader("MIME-Version")).containsExactly("1.0");
            assertThat(m.getContentType()).isEqualTo("text/plain; charset=us-ascii");
            assertThat(m.getContent()).isEqualTo("hello\r\n");
            assertThat(headerBlock(m)).doesNotContain("ceo@example.com", "inner");
        }
    }

    @Test
    void onlyWellFormedContentFieldsAreTakenEachNameOnce() throws Exception {
        String content = "Content-Type: text/plain; charset=us-ascii\r\nSubject pwned\r\nContent-Description: first\r\n"
                + "Content-Description: second\r\nContent Type: text/html\r\nContent-Transfer-Encoding: 7bit\r\n\r\nhi\r\n";
        MimeMessage m = decrypt(smime(OUTER, CmsForgery.enveloped(content, johnny.certificate()), "enveloped-data"))
                .message().orElseThrow();
        assertThat(headerBlock(m)).doesNotContain("pwned", "Content Type", "second");
        assertThat(m.getHeader("Content-Description")).containsExactly("first");
        assertThat(m.getHeader("Content-Transfer-Encoding")).containsExactly("7bit");
    }

    @Test
    void eightBitOuterHeadersKeepTheirBytes() throws Exception {
        String utf8Subject = new String("Subject: Grüße aus Köln".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        String content = "Content-Type: text/plain\r\n\r\nhi\r\n";
        MimeMessage m = decrypt(smime(OUTER.replace("Subject: outer", utf8Subject),
                CmsForgery.enveloped(content, johnny.certificate()), "enveloped-data")).message().orElseThrow();
        assertThat(headerBlock(m)).contains(utf8Subject);
    }

    @Test
    void onlyAnAeadAuthenticatesWhatItDecrypts() throws Exception {
        String content = "Content-Type: text/plain\r\n\r\nhi\r\n";
        DecryptionResult cbc = decrypt(smime(OUTER, CmsForgery.enveloped(content, johnny.certificate()),
                "enveloped-data"));
        assertThat(cbc.status()).isEqualTo(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED);
        assertThat(cbc.reason()).isEqualTo("AES-256-CBC encryption carries no integrity check and no valid signature"
                + " inside vouches for the content: it may have been altered in transit");
        DecryptionResult gcm = decrypt(smime(OUTER, CmsForgery.authEnveloped(content, johnny.certificate()),
                "authEnveloped-data"));
        assertThat(gcm.status()).isEqualTo(DecryptionResult.Status.DECRYPTED);
        assertThat(EncryptionAlgorithm.isAuthenticatedEncryption(EncryptionAlgorithm.AES128GCM.oid().getId())).isTrue();
        assertThat(EncryptionAlgorithm.isAuthenticatedEncryption(EncryptionAlgorithm.AES256.oid().getId())).isFalse();
    }

    @Test
    void contentThatIsNoReadableEntityFailsAndKeepsTheCiphertext() throws Exception {
        String secret = "Sekrit-in-a-header";
        for (String content : List.of("Content-Type: " + secret + "; x=1\r\n\r\nbody\r\n",
                "Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\nbody\r\n",
                "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: " + secret + "\r\n\r\nx\r\n--b--\r\n",
                "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"" + secret + "\r\n\r\nx\r\n")) {
            DecryptionResult r = decrypt(smime(OUTER, CmsForgery.enveloped(content, johnny.certificate()),
                    "enveloped-data"));
            assertThat(r.status()).as(content).isEqualTo(DecryptionResult.Status.FAILED);
            assertThat(r.message()).isEmpty();
            assertThat(r.reason()).isEqualTo(FailureReasons.UNDECRYPTABLE).doesNotContain(secret);
        }
    }

    @Test
    void aMislabelledStructureIsMalformedNotAJavaError() throws Exception {
        DecryptionResult r = decrypt(smime(OUTER, CmsForgery.enveloped("Content-Type: text/plain\r\n\r\nx\r\n",
                johnny.certificate()), "authEnveloped-data"));
        assertThat(r.status()).isEqualTo(DecryptionResult.Status.FAILED);
        assertThat(r.reason()).isEqualTo(FailureReasons.MALFORMED_ENVELOPE);
    }

    @Test
    void anEncryptedAttachedMessageIsNestedAndRefused() throws Exception {
        String encrypted = OUTER + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data"
                + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(
                CmsForgery.enveloped("Content-Type: text/plain\r\n\r\nx\r\n", johnny.certificate())) + "\r\n";
        MimeMessage forwarded = TestMessages.parse(OUTER + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed;"
                + " boundary=f\r\n\r\n--f\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--f\r\n"
                + "Content-Type: message/rfc822\r\n\r\n" + encrypted + "\r\n--f--\r\n");
        DecryptionResult r = decrypt(forwarded);
        assertThat(r.status()).isEqualTo(DecryptionResult.Status.NESTED_REFUSED);
        assertThat(r.reason()).isEqualTo("an encrypted part inside an attached message (message/rfc822) is not"
                + " decrypted: only a wholly encrypted message is (EFAIL)");
    }
}
