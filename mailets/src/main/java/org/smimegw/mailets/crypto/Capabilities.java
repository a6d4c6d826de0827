package org.smimegw.mailets.crypto;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.smimegw.certstore.SmimeCapabilities;

/** Reads RFC 8551 SMIMECapabilities from a signer's signed attributes or a certificate extension (RFC 4262). */
public final class Capabilities {

    private Capabilities() {
    }

    /** The capabilities in a signer's signed attributes; {@link SmimeCapabilities#UNKNOWN} when absent. */
    public static SmimeCapabilities fromSignedAttributes(AttributeTable signed) {
        if (signed == null) {
            return SmimeCapabilities.UNKNOWN;
        }
        Attribute attribute = signed.get(PKCSObjectIdentifiers.pkcs_9_at_smimeCapabilities);
        if (attribute == null || attribute.getAttrValues().size() == 0) {
            return SmimeCapabilities.UNKNOWN;
        }
        return parse(attribute.getAttrValues().getObjectAt(0));
    }

    /** The capabilities in the certificate's SMIMECapabilities extension (1.2.840.113549.1.9.15). */
    public static SmimeCapabilities fromCertificate(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(PKCSObjectIdentifiers.pkcs_9_at_smimeCapabilities.getId());
        if (ext == null) {
            return SmimeCapabilities.UNKNOWN;
        }
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets());
            return parse(inner);
        } catch (Exception e) {
            return SmimeCapabilities.UNKNOWN;
        }
    }

    private static SmimeCapabilities parse(ASN1Encodable value) {
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(value);
            List<String> oids = new ArrayList<>();
            for (ASN1Encodable e : seq) {
                oids.add(SMIMECapability.getInstance(e).getCapabilityID().getId());
            }
            return new SmimeCapabilities(oids);
        } catch (RuntimeException e) {
            return SmimeCapabilities.UNKNOWN;
        }
    }
}
