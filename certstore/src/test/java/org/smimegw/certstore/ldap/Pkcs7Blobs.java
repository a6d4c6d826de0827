package org.smimegw.certstore.ldap;

import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.smimegw.certstore.testing.TestPki;

/** PKCS#7 SignedData blobs as directories hold them in {@code userSMIMECertificate}. */
final class Pkcs7Blobs {

    private Pkcs7Blobs() {
    }

    /** A degenerate (certificates-only) SignedData. */
    static byte[] certsOnly(List<X509Certificate> certificates) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addCertificates(new JcaCertStore(certificates));
        return generator.generate(new CMSAbsentContent()).getEncoded();
    }

    /** A SignedData signed by {@code signer} with an SMIMECapabilities signed attribute, as Outlook publishes. */
    static byte[] signedWithCapabilities(TestPki.Issued signer, List<String> capabilityOids) throws Exception {
        SMIMECapabilityVector caps = new SMIMECapabilityVector();
        for (String oid : capabilityOids) {
            caps.addCapability(new ASN1ObjectIdentifier(oid));
        }
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(caps));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build("SHA256withRSA", signer.privateKey(), signer.certificate()));
        generator.addCertificates(new JcaCertStore(signer.fullChain()));
        return generator.generate(new CMSProcessableByteArray(new byte[0]), false).getEncoded();
    }


}
