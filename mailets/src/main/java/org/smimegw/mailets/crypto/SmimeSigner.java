package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.asn1.smime.SMIMEEncryptionKeyPreferenceAttribute;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMEException;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.smimegw.certstore.UserKey;

/**
 * Signs messages with a user's key (RFC 8551): clear-signed multipart/signed or opaque signed-data, with signing
 * time, SMIMECapabilities and SMIMEEncryptionKeyPreference as signed attributes. Streams: the content is read from
 * and the result written to temporary files. Immutable and thread-safe.
 */
public final class SmimeSigner {

    private final SignerSettings settings;
    private final MessageFiles files;
    private final PrimitiveProviders providers;
    private final DigestCalculatorProvider digests;
    private final SMIMECapabilityVector capabilityVector;

    public SmimeSigner(SignerSettings settings, MessageFiles files) {
        this(settings, files, new PrimitiveProviders());
    }

    /** @param providers which JCA provider computes each primitive (digests and RSA/ECDSA: the JDK's) */
    public SmimeSigner(SignerSettings settings, MessageFiles files, PrimitiveProviders providers) {
        this.settings = settings;
        this.files = files;
        this.providers = providers;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest provider", e);
        }
        this.capabilityVector = new SMIMECapabilityVector();
        for (ContentEncryption c : settings.capabilities()) {
            capabilityVector.addCapability(c.oid());
        }
    }

    public SignerSettings settings() {
        return settings;
    }

    /** A new file-backed message: {@code message}'s headers around its signed content. */
    public MimeMessage sign(MimeMessage message, UserKey key, Instant signingTime) throws SmimeException {
        try {
            MimeBodyPart content = settings.mode() == SignMode.CLEAR
                    ? MimeMessages.sevenBitContentPart(message, files)
                    : MimeMessages.contentPart(message, files);
            SMIMESignedGenerator generator = generator(key, signingTime);
            Object signed = settings.mode() == SignMode.CLEAR
                    ? generator.generate(content)
                    : generator.generateEncapsulated(content);
            return MimeMessages.withContent(message, signed, files);
        } catch (IOException | MessagingException | SMIMEException e) {
            throw new SmimeException("signing failed for " + Certificates.describe(key.certificate()) + ": " + e.getMessage(), e);
        }
    }

    /** The name of the JCA signature algorithm used with this key, e.g. SHA256withRSAandMGF1. */
    public String signatureAlgorithm(PrivateKey key) {
        String prefix = settings.digest().jcaPrefix();
        String keyAlgorithm = key.getAlgorithm();
        if (keyAlgorithm.equals("EC") || keyAlgorithm.equals("ECDSA")) {
            return prefix + "withECDSA";
        }
        if (keyAlgorithm.equals("RSASSA-PSS")) {
            return prefix + "withRSAandMGF1";
        }
        return settings.rsaScheme() == SignatureScheme.PSS ? prefix + "withRSAandMGF1" : prefix + "withRSA";
    }

    private SMIMESignedGenerator generator(UserKey key, Instant signingTime) throws SmimeException {
        try {
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
            if (!settings.capabilities().isEmpty()) {
                attributes.add(new SMIMECapabilitiesAttribute(capabilityVector));
            }
            if (settings.encryptionKeyPreference()) {
                attributes.add(new SMIMEEncryptionKeyPreferenceAttribute(
                        SMIMEUtil.createIssuerAndSerialNumberFor(key.certificate())));
            }
            SMIMESignedGenerator generator = new SMIMESignedGenerator();
            String algorithm = signatureAlgorithm(key.privateKey());
            JcaContentSignerBuilder signerBuilder = new JcaContentSignerBuilder(algorithm);
            // a token key signs in its token; software keys get the provider chosen per primitive
            Optional<Provider> provider = key.keyProvider().or(() -> providers.signature(algorithm));
            provider.ifPresent(signerBuilder::setProvider);
            ContentSigner contentSigner = signerBuilder.build(key.privateKey());
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                    .build(contentSigner, key.certificate()));
            generator.addCertificates(new JcaCertStore(certificates(key)));
            return generator;
        } catch (OperatorCreationException | CertificateEncodingException | CertificateParsingException e) {
            throw new SmimeException("cannot use the key of " + Certificates.describe(key.certificate()), e);
        }
    }

    private List<X509Certificate> certificates(UserKey key) {
        List<X509Certificate> certs = new ArrayList<>();
        certs.add(key.certificate());
        switch (settings.certificates()) {
            case SIGNER_ONLY -> { }
            case CHAIN_WITHOUT_ROOT -> certs.addAll(Certificates.withoutRoots(without(key.chain(), key.certificate())));
            case CHAIN_WITH_ROOT -> certs.addAll(without(key.chain(), key.certificate()));
        }
        return certs;
    }

    private static List<X509Certificate> without(List<X509Certificate> chain, X509Certificate certificate) {
        return chain.stream().filter(c -> !c.equals(certificate)).toList();
    }
}
