package org.smimegw.gateway.smime.attacks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** CMS in S/MIME messages as the attacker writes them (the CMS itself: {@code CmsForgery} in the certstore tests). */
final class Cms {

    private Cms() {
    }

    /** A complete S/MIME message: these outer fields, then the CMS in base64 as application/pkcs7-mime. */
    static String smime(String outerFields, byte[] der, String smimeType) {
        return Raw.message(outerFields, "Content-Type: application/pkcs7-mime; smime-type=" + smimeType
                + "; name=smime.p7m" + Raw.CRLF + "Content-Transfer-Encoding: base64" + Raw.CRLF
                + "Content-Disposition: attachment; filename=smime.p7m" + Raw.CRLF + Raw.CRLF + base64(der));
    }

    /** The part a clear signature covers, and the detached signature, as a multipart/signed entity. */
    static String clearSignedEntity(String signedPart, byte[] signature, String protocol) {
        return Raw.multipart("signed; protocol=\"" + protocol + "\"; micalg=sha-256", "sig-" + signedPart.length(),
                signedPart, "Content-Type: application/pkcs7-signature; name=smime.p7s" + Raw.CRLF
                        + "Content-Transfer-Encoding: base64" + Raw.CRLF
                        + "Content-Disposition: attachment; filename=smime.p7s" + Raw.CRLF + Raw.CRLF
                        + base64(signature));
    }

    static String base64(byte[] der) {
        return Base64.getMimeEncoder(76, Raw.CRLF.getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + Raw.CRLF;
    }

    /** The DER of the CMS in an S/MIME message's base64 body. */
    static byte[] der(String smimeMessage) {
        return Base64.getMimeDecoder().decode(Raw.body(smimeMessage));
    }
}
