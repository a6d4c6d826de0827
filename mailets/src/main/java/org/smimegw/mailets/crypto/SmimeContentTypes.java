package org.smimegw.mailets.crypto;

import java.util.Locale;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

/**
 * Classifies the top level of a MIME entity as S/MIME signed, encrypted or neither. Accepts the RFC 8551 names and the
 * legacy {@code application/x-pkcs7-*} ones. Only the top level counts: an encrypted part nested in an unencrypted
 * multipart is never treated as an encrypted message (EFAIL).
 */
public final class SmimeContentTypes {

    public enum Kind {
        CLEAR_SIGNED, OPAQUE_SIGNED, ENVELOPED, AUTH_ENVELOPED, COMPRESSED,
        /** application/pkcs7-mime without smime-type (old clients): the CMS content type decides. */
        PKCS7_UNTYPED,
        NONE
    }

    private SmimeContentTypes() {
    }

    public static Kind classify(Part part) throws MessagingException {
        String header = part.getContentType();
        if (header == null) {
            return Kind.NONE;
        }
        ContentType type;
        try {
            type = new ContentType(header);
        } catch (ParseException e) {
            return Kind.NONE;
        }
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        if (base.equals("multipart/signed")) {
            String protocol = type.getParameter("protocol");
            if (protocol != null) {
                String p = protocol.trim().toLowerCase(Locale.ROOT);
                if (p.equals("application/pkcs7-signature") || p.equals("application/x-pkcs7-signature")) {
                    return Kind.CLEAR_SIGNED;
                }
            }
            return Kind.NONE;
        }
        if (base.equals("application/pkcs7-mime") || base.equals("application/x-pkcs7-mime")) {
            String smimeType = type.getParameter("smime-type");
            if (smimeType != null) {
                return switch (smimeType.trim().toLowerCase(Locale.ROOT)) {
                    case "signed-data" -> Kind.OPAQUE_SIGNED;
                    case "enveloped-data" -> Kind.ENVELOPED;
                    case "authenveloped-data" -> Kind.AUTH_ENVELOPED;
                    case "compressed-data" -> Kind.COMPRESSED;
                    default -> Kind.NONE;
                };
            }
            return Kind.PKCS7_UNTYPED;
        }
        return Kind.NONE;
    }

    public static boolean isSigned(Part part) throws MessagingException {
        Kind k = classify(part);
        return k == Kind.CLEAR_SIGNED || k == Kind.OPAQUE_SIGNED;
    }

    public static boolean isEncrypted(Part part) throws MessagingException {
        Kind k = classify(part);
        return k == Kind.ENVELOPED || k == Kind.AUTH_ENVELOPED || k == Kind.PKCS7_UNTYPED;
    }
}
