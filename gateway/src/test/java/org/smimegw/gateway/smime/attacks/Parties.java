package org.smimegw.gateway.smime.attacks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.testing.CmsForgery;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.SignMode;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeSigner;

/**
 * Who takes part, as in "Johnny, You Are Fired": johnny@example.com is the internal victim (the gateway holds his
 * key); manager@bigcorp.example is the person the attacker impersonates (certificate from a trusted CA, and mail of
 * his that the attacker captured); eve@evil.example is the attacker, who holds a perfectly valid certificate of her
 * own from the same trusted CA. A rogue CA the gateway does not trust issued another "manager" certificate.
 */
final class Parties {

    static final String JOHNNY = "johnny@example.com";
    static final String MANAGER = "manager@bigcorp.example";
    static final String EVE = "eve@evil.example";
    /** An external mailbox of the attacker's, reachable through the gateway. */
    static final String OUTSIDER = "collect@evil.example";

    final TestPki pki = TestPki.create("Attack");
    final TestPki rogue = TestPki.create("Rogue");
    final TestPki.Issued johnny = pki.issue(JOHNNY);
    final TestPki.Issued manager = pki.issue(MANAGER);
    final TestPki.Issued eve = pki.issue(EVE);
    final TestPki.Issued rogueManager = rogue.issue(MANAGER);
    final TestPki.Issued expiredManager = pki.user(MANAGER)
            .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(10))).issue();
    final TestPki.Issued serverAuthManager = pki.user(MANAGER).extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
            .issue();
    private final MessageFiles files;

    Parties(Path scratch) {
        this.files = new MessageFiles(scratch);
    }

    /** What the gateway trusts and holds: the trusted CA, johnny's key; manager and eve are only published. */
    void fill(FileCertificateStore store) throws Exception {
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(johnny.privateKey(), johnny.certificate(), johnny.chain());
    }

    /** A plain text mail to johnny. */
    static String text(String fromField, String subject, String body) {
        return Raw.lines(fromField, "To: " + JOHNNY, "Subject: " + subject,
                "Date: Mon, 2 Feb 2026 10:00:00 +0000", "Message-ID: <" + Long.toHexString(System.nanoTime())
                        + "@attack.test>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=us-ascii",
                "Content-Transfer-Encoding: 7bit", "") + body + Raw.CRLF;
    }

    /** {@code raw} clear-signed (multipart/signed) with the key as the gateway's own signer would. */
    String sign(String raw, TestPki.Issued key) throws Exception {
        return Raw.of(new SmimeSigner(SignerSettings.defaults(), files).sign(Raw.parse(raw), userKey(key),
                Instant.now()));
    }

    /** {@code raw} opaque-signed (application/pkcs7-mime; smime-type=signed-data). */
    String signOpaque(String raw, TestPki.Issued key) throws Exception {
        return Raw.of(new SmimeSigner(SignerSettings.defaults().withMode(SignMode.OPAQUE), files)
                .sign(Raw.parse(raw), userKey(key), Instant.now()));
    }

    /** The message's content entity encrypted to johnny with AES-256-CBC EnvelopedData, under these outer fields. */
    static String encryptCbc(String outerFields, String entity, TestPki.Issued to) throws Exception {
        return Cms.smime(outerFields, CmsForgery.enveloped(entity, to.certificate()), "enveloped-data");
    }

    /** The entity encrypted with AES-256-GCM AuthEnvelopedData (RFC 5083/5084). */
    static String encryptGcm(String outerFields, String entity, TestPki.Issued to) throws Exception {
        return Cms.smime(outerFields, CmsForgery.authEnveloped(entity, to.certificate()), "authEnveloped-data");
    }

    /** The outer fields of a mail to johnny (CRLF-terminated lines). */
    static String outer(String fromField, String subject) {
        return Raw.lines(fromField, "To: " + JOHNNY, "Subject: " + subject, "Date: Mon, 2 Feb 2026 10:00:00 +0000",
                "Message-ID: <" + Long.toHexString(System.nanoTime()) + "@attack.test>");
    }

    static UserKey userKey(TestPki.Issued issued) {
        return new UserKey(issued.privateKey(), issued.certificate(), issued.chain(), KeyStorage.SOFTWARE);
    }

    /** The certificate and its chain, as a signature carries them. */
    static List<java.security.cert.X509Certificate> chain(TestPki.Issued issued) {
        return issued.fullChain();
    }
}
