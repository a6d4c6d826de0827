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
import java.util.concurrent.atomic.AtomicReference;

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
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMEException;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.Store;
import org.smimegw.certstore.CertificateInfo;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.UserKey;

/**
 * Signs messages with a user's key (RFC 8551): clear-signed multipart/signed or opaque signed-data, with signing
 * time, SMIMECapabilities and SMIMEEncryptionKeyPreference as signed attributes. Streams: the content is read from
 * and the result written to {@link MessageFiles} (memory for small messages, temporary files for large ones).
 * <p>
 * What depends only on the signer's certificate and chain (the certificate in Bouncy Castle's form, the certificates
 * carried in the signature, the SMIMEEncryptionKeyPreference attribute, the description for logs) is computed once
 * per certificate and kept (at most {@value #MAX_SIGNERS} signers; the cache starts over when full), as is the
 * signing-time attribute within one second; a software key is converted to the signing provider's own form once
 * ({@link PrimitiveProviders#inOwnForm}). A new {@link ContentSigner} is made for every message. Thread-safe.
 */
public final class SmimeSigner {

    static final int MAX_SIGNERS = 1024;

    /** The parts of a signer info that depend only on the signer's certificate and chain. */
    private record SignerIdentity(X509Certificate certificate, List<X509Certificate> chain) {
    }

    private record SignerPieces(X509CertificateHolder certificate, Store<X509CertificateHolder> certificates,
                                Attribute encryptionKeyPreference, String description) {
    }

    /** The signing-time attribute for one second (UTCTime has second precision). */
    private record SigningTime(long epochSecond, Attribute attribute) {
    }

    private final SignerSettings settings;
    private final MessageFiles files;
    private final PrimitiveProviders providers;
    private final DigestCalculatorProvider digests;
    private final Attribute capabilities;
    private final BoundedMemo<SignerIdentity, SignerPieces> signers = new BoundedMemo<>(MAX_SIGNERS);
    private final AtomicReference<SigningTime> signingTime = new AtomicReference<>(new SigningTime(Long.MIN_VALUE, null));

    public SmimeSigner(SignerSettings settings, MessageFiles files) {
        this(settings, files, new PrimitiveProviders());
    }

    /** @param providers which JCA provider computes each primitive (digests, RSA, ECDSA) */
    public SmimeSigner(SignerSettings settings, MessageFiles files, PrimitiveProviders providers) {
        this.settings = settings;
        this.files = files;
        this.providers = providers;
        this.digests = providers.digestCalculators();
        SMIMECapabilityVector capabilityVector = new SMIMECapabilityVector();
        for (EncryptionAlgorithm c : settings.capabilities()) {
            capabilityVector.addCapability(c.oid());
        }
        this.capabilities = settings.capabilities().isEmpty() ? null : new SMIMECapabilitiesAttribute(capabilityVector);
    }

    public SignerSettings settings() {
        return settings;
    }

    /** A new message (held by {@link MessageFiles}): {@code message}'s headers around its signed content. */
    public MimeMessage sign(MimeMessage message, UserKey key, Instant signingTime) throws SmimeException {
        return sign(message, key, signingTime, null);
    }

    /**
     * As {@link #sign(MimeMessage, UserKey, Instant)}; with {@code headerProtection} not null the signed content is
     * an RFC 9788 Cryptographic Payload carrying the message's protected header fields ({@link HeaderProtection}):
     * {@code CLEAR} for a message sent signed only, {@code CIPHER} for one that is encrypted next (the encryption
     * then only reduces the outer header section).
     */
    public MimeMessage sign(MimeMessage message, UserKey key, Instant signingTime,
                            HeaderProtection.Mode headerProtection) throws SmimeException {
        try {
            return MimeMessages.withContent(message, signedContent(message, key, signingTime, headerProtection),
                    files);
        } catch (IOException | MessagingException | SMIMEException e) {
            throw failed(key, e);
        }
    }

    /**
     * The content {@link #sign} would put under {@code message}'s headers, as an entity (Content-* headers, blank
     * line, body) written by the returned writer, for {@link SmimeEncryptor#encrypt(MimeMessage, MessageFiles.Writer,
     * List, EncryptionAlgorithm)} to write straight into the encrypting stream: one pass, no signed message in
     * between. The signature is computed while the entity is written; a failure then surfaces from the writer.
     * {@code headerProtection} as for {@link #sign(MimeMessage, UserKey, Instant, HeaderProtection.Mode)}.
     */
    public MessageFiles.Writer signedEntity(MimeMessage message, UserKey key, Instant signingTime,
                                            HeaderProtection.Mode headerProtection) throws SmimeException {
        try {
            return MimeMessages.contentEntity(signedContent(message, key, signingTime, headerProtection), files);
        } catch (IOException | MessagingException | SMIMEException e) {
            throw failed(key, e);
        }
    }

    /** A multipart/signed (clear) or an application/pkcs7-mime body part (opaque), signed when written. */
    private Object signedContent(MimeMessage message, UserKey key, Instant signingTime,
                                 HeaderProtection.Mode headerProtection)
            throws IOException, MessagingException, SMIMEException, SmimeException {
        MimeBodyPart content = settings.mode() == SignMode.CLEAR
                ? MimeMessages.sevenBitContentPart(message, files, headerProtection)
                : MimeMessages.contentPart(message, files, headerProtection);
        SMIMESignedGenerator generator = generator(key, signingTime);
        return settings.mode() == SignMode.CLEAR
                ? generator.generate(content)
                : generator.generateEncapsulated(content);
    }

    private SmimeException failed(UserKey key, Exception e) {
        return new SmimeException("signing failed for " + describe(key) + ": " + e.getMessage(), e);
    }

    /** "subject serial=... sha256=..." of the key's certificate, for logs (computed once per certificate). */
    public String describe(UserKey key) {
        try {
            return pieces(key).description();
        } catch (SmimeException e) {
            return CertificateInfo.of(key.certificate()).toString();
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
        SignerPieces pieces = pieces(key);
        try {
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(signingTimeAttribute(signingTime));
            if (capabilities != null) {
                attributes.add(capabilities);
            }
            if (pieces.encryptionKeyPreference() != null) {
                attributes.add(pieces.encryptionKeyPreference());
            }
            SMIMESignedGenerator generator = new SignedGenerator();
            String algorithm = signatureAlgorithm(key.privateKey());
            JcaContentSignerBuilder signerBuilder = new JcaContentSignerBuilder(algorithm);
            // a token key signs in its token; a software key with the provider chosen per primitive, in its form
            Optional<Provider> provider = key.keyProvider().or(() -> providers.signing(algorithm));
            provider.ifPresent(signerBuilder::setProvider);
            PrivateKey signingKey = key.keyProvider().isEmpty() && provider.isPresent()
                    ? providers.inOwnForm(key.privateKey(), provider.get()) : key.privateKey();
            ContentSigner contentSigner = signerBuilder.build(signingKey);
            generator.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(digests)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                    .build(contentSigner, pieces.certificate()));
            generator.addCertificates(pieces.certificates());
            return generator;
        } catch (OperatorCreationException e) {
            throw new SmimeException("cannot use the key of " + pieces.description(), e);
        }
    }

    /** Bouncy Castle's generator, without re-deriving Content-* headers the content part already has. */
    private static final class SignedGenerator extends SMIMESignedGenerator {
        @Override
        protected MimeBodyPart makeContentBodyPart(MimeBodyPart content) throws SMIMEException {
            try {
                return MimeMessages.hasContentHeaders(content) ? content : super.makeContentBodyPart(content);
            } catch (MessagingException e) {
                throw new SMIMEException("cannot read the content's headers", e);
            }
        }
    }

    private Attribute signingTimeAttribute(Instant time) {
        long second = time.getEpochSecond();
        SigningTime cached = signingTime.get();
        if (cached.epochSecond() == second) {
            return cached.attribute();
        }
        Attribute attribute = new Attribute(CMSAttributes.signingTime,
                new DERSet(new Time(Date.from(Instant.ofEpochSecond(second)))));
        signingTime.set(new SigningTime(second, attribute));
        return attribute;
    }

    private SignerPieces pieces(UserKey key) throws SmimeException {
        return signers.get(new SignerIdentity(key.certificate(), key.chain()), identity -> newPieces(key));
    }

    private SignerPieces newPieces(UserKey key) throws SmimeException {
        try {
            Attribute preference = settings.encryptionKeyPreference()
                    ? new SMIMEEncryptionKeyPreferenceAttribute(SMIMEUtil.createIssuerAndSerialNumberFor(key.certificate()))
                    : null;
            return new SignerPieces(new JcaX509CertificateHolder(key.certificate()),
                    new JcaCertStore(certificates(key)), preference, CertificateInfo.of(key.certificate()).toString());
        } catch (CertificateEncodingException | CertificateParsingException e) {
            throw new SmimeException("cannot use the key of " + CertificateInfo.of(key.certificate()), e);
        }
    }

    private List<X509Certificate> certificates(UserKey key) {
        List<X509Certificate> certs = new ArrayList<>();
        certs.add(key.certificate());
        List<X509Certificate> chain = key.chain().stream().filter(c -> !c.equals(key.certificate())).toList();
        switch (settings.certificates()) {
            case CERTIFICATE_ONLY -> { }
            case CHAIN_WITHOUT_ROOT -> certs.addAll(chain.stream().filter(c -> !Certificates.isSelfSigned(c)).toList());
            case CHAIN_AND_ROOT -> certs.addAll(chain);
        }
        return certs;
    }
}
