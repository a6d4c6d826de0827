package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.mail.smime.SMIMEAuthEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMEException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.smimegw.certstore.Certificates;

/**
 * Encrypts messages to recipients' certificates: EnvelopedData (AES-CBC) or AuthEnvelopedData (AES-GCM), RSA key
 * transport (PKCS#1 v1.5 or OAEP-SHA-256) or ECDH key agreement (ephemeral-static, X9.63 KDF with SHA-256 for P-256
 * and SHA-384 for P-384, AES key wrap) for EC certificates. Streams through {@link MessageFiles} (memory up to its limit, then temporary files).
 * <p>
 * The RSA key-transport recipient info generator of a certificate (its issuer and serial number or key identifier
 * and its public key; it makes a new cipher for every key it wraps) is made once per certificate and kept (at most
 * {@value #MAX_RECIPIENTS}; the cache starts over when full): making it parses the whole certificate again, 5 % of
 * the pipeline's samples when every message went to the same recipient. Thread-safe.
 */
public final class SmimeEncryptor {

    static final int MAX_RECIPIENTS = 4096;

    private final EncryptorSettings settings;
    private final MessageFiles files;
    private final PrimitiveProviders providers;
    private final SecureRandom random;
    private final AlgorithmIdentifier oaepSha256;
    private final BoundedMemo<X509Certificate, RecipientInfoGenerator> keyTransports = new BoundedMemo<>(MAX_RECIPIENTS);

    public SmimeEncryptor(EncryptorSettings settings, MessageFiles files) {
        this(settings, files, new PrimitiveProviders());
    }

    /** @param providers which JCA provider computes content encryption, RSA key transport and ECDH */
    public SmimeEncryptor(EncryptorSettings settings, MessageFiles files, PrimitiveProviders providers) {
        this.settings = settings;
        this.files = files;
        this.providers = providers;
        this.random = new SecureRandom();
        try {
            this.oaepSha256 = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP,
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP parameters unavailable", e);
        }
    }

    public EncryptorSettings settings() {
        return settings;
    }

    /** A new message (held by {@link MessageFiles}) with {@code message}'s headers and its content encrypted to {@code recipients}. */
    public MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients, EncryptionAlgorithm algorithm)
            throws SmimeException {
        return encrypt(message, recipients, algorithm, false);
    }

    /**
     * As {@link #encrypt(MimeMessage, List, EncryptionAlgorithm)}; with {@code protectHeaders} RFC 9788 header
     * protection ({@link HeaderProtection}, {@code hp="cipher"}): an unsigned message's content becomes the
     * Cryptographic Payload carrying its protected header fields and HP-Outer records; a signed one is taken to
     * carry them inside its signature already (signed with {@code CIPHER}: the caller's promise). Either way the
     * outer header section is reduced by hcp_baseline (Subject {@code [...]}).
     */
    public MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients, EncryptionAlgorithm algorithm,
                               boolean protectHeaders) throws SmimeException {
        try {
            HeaderProtection.Mode hp = protectHeaders && !SmimeContentTypes.isSigned(message)
                    ? HeaderProtection.Mode.CIPHER : null;
            // the message's content entity written straight into the encrypting stream when it is complete as it is
            // (a Cryptographic Payload is a new entity: built as a part)
            java.util.Optional<MimeBodyPart> streamed = hp == null
                    ? MimeMessages.streamedContentPart(message) : java.util.Optional.empty();
            MimeBodyPart content = streamed.isPresent() ? streamed.get() : MimeMessages.contentPart(message, files, hp);
            return encrypt(message, content, recipients, algorithm, protectHeaders);
        } catch (IOException | MessagingException e) {
            throw new SmimeException("encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * A new message (held by {@link MessageFiles}) with {@code message}'s headers and the entity {@code content}
     * writes (Content-* headers, blank line, body; e.g. {@link SmimeSigner#signedEntity}) encrypted to
     * {@code recipients}: the entity is written straight into the encrypting stream, never stored or parsed. With
     * {@code protectHeaders} the entity carries the protected header fields (signed with {@code CIPHER}) and the
     * outer header section is reduced as above.
     */
    public MimeMessage encrypt(MimeMessage message, MessageFiles.Writer content, List<X509Certificate> recipients,
                               EncryptionAlgorithm algorithm, boolean protectHeaders) throws SmimeException {
        return encrypt(message, new MimeMessages.EntityPart(content), recipients, algorithm, protectHeaders);
    }

    private MimeMessage encrypt(MimeMessage message, MimeBodyPart content, List<X509Certificate> recipients,
                                EncryptionAlgorithm algorithm, boolean protectHeaders) throws SmimeException {
        if (recipients.isEmpty()) {
            throw new SmimeException("no recipient certificate to encrypt to");
        }
        if (!algorithm.producible()) {
            throw new SmimeException("the gateway does not encrypt with legacy " + algorithm.displayName());
        }
        try {
            SMIMEEnvelopedGenerator generator = algorithm.authenticated()
                    ? new AuthEnvelopedGenerator()
                    : new EnvelopedGenerator();
            for (RecipientInfoGenerator r : recipientInfos(recipients, algorithm)) {
                generator.addRecipientInfoGenerator(r);
            }
            MimeBodyPart encrypted = generator.generate(content, encryptor(algorithm));
            return MimeMessages.withContent(message, encrypted, protectHeaders, files);
        } catch (IOException | MessagingException | SMIMEException | CMSException | GeneralSecurityException e) {
            throw new SmimeException("encryption failed: " + e.getMessage(), e);
        }
    }

    /** Bouncy Castle's generators, without re-deriving Content-* headers the content part already has. */
    private static final class EnvelopedGenerator extends SMIMEEnvelopedGenerator {
        @Override
        protected MimeBodyPart makeContentBodyPart(MimeBodyPart content) throws SMIMEException {
            return prepared(content, this::prepareWithScratchMessage);
        }

        private MimeBodyPart prepareWithScratchMessage(MimeBodyPart content) throws SMIMEException {
            return super.makeContentBodyPart(content);
        }
    }

    private static final class AuthEnvelopedGenerator extends SMIMEAuthEnvelopedGenerator {
        @Override
        protected MimeBodyPart makeContentBodyPart(MimeBodyPart content) throws SMIMEException {
            return prepared(content, this::prepareWithScratchMessage);
        }

        private MimeBodyPart prepareWithScratchMessage(MimeBodyPart content) throws SMIMEException {
            return super.makeContentBodyPart(content);
        }
    }

    private interface ContentPreparation {
        MimeBodyPart prepare(MimeBodyPart content) throws SMIMEException;
    }

    private static MimeBodyPart prepared(MimeBodyPart content, ContentPreparation fallback) throws SMIMEException {
        try {
            return content instanceof MimeMessages.EntityPart || MimeMessages.hasContentHeaders(content) ? content : fallback.prepare(content);
        } catch (MessagingException e) {
            throw new SMIMEException("cannot read the content's headers", e);
        }
    }

    private OutputEncryptor encryptor(EncryptionAlgorithm algorithm) throws CMSException, GeneralSecurityException {
        if (!algorithm.authenticated()) {
            return CbcContentEncryptor.create(algorithm, providers.contentEncryption(algorithm), random);
        }
        JceCMSContentEncryptorBuilder builder = new JceCMSContentEncryptorBuilder(algorithm.oid())
                .setSecureRandom(random);
        providers.contentEncryption(algorithm).ifPresent(builder::setProvider);
        OutputEncryptor encryptor = builder.build();
        if (algorithm.authenticated() && !(encryptor instanceof OutputAEADEncryptor)) {
            throw new CMSException(algorithm.displayName() + " did not yield an AEAD encryptor");
        }
        return encryptor;
    }

    private List<RecipientInfoGenerator> recipientInfos(List<X509Certificate> recipients, EncryptionAlgorithm algorithm)
            throws GeneralSecurityException {
        List<RecipientInfoGenerator> generators = new java.util.ArrayList<>();
        // one key-agreement RecipientInfo per curve: the originator's ephemeral key must be on the recipient's curve
        Map<String, JceKeyAgreeRecipientInfoGenerator> byCurve = new LinkedHashMap<>();
        for (X509Certificate cert : recipients) {
            if (cert.getPublicKey() instanceof ECPublicKey ec) {
                String curve = curveName(ec.getParams());
                JceKeyAgreeRecipientInfoGenerator kari = byCurve.get(curve);
                if (kari == null) {
                    Provider ecdh = providers.provider(Primitive.ECDH).orElse(providers.bouncyCastle());
                    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", ecdh);
                    kpg.initialize(ec.getParams(), random);
                    KeyPair ephemeral = kpg.generateKeyPair();
                    ASN1ObjectIdentifier kdf = ec.getParams().getCurve().getField().getFieldSize() > 256
                            ? CMSAlgorithm.ECDH_SHA384KDF : CMSAlgorithm.ECDH_SHA256KDF;
                    ASN1ObjectIdentifier wrap = algorithm.keyBits() > 128 ? CMSAlgorithm.AES256_WRAP : CMSAlgorithm.AES128_WRAP;
                    kari = new JceKeyAgreeRecipientInfoGenerator(kdf, ephemeral.getPrivate(), ephemeral.getPublic(), wrap)
                            .setProvider(ecdh).setSecureRandom(random);
                    byCurve.put(curve, kari);
                    generators.add(kari);
                }
                byte[] ski = Certificates.subjectKeyIdentifier(cert);
                if (settings.recipientIdentifier() == RecipientIdentifierType.SUBJECT_KEY_IDENTIFIER && ski != null) {
                    kari.addRecipient(ski, cert.getPublicKey());
                } else {
                    kari.addRecipient(cert);
                }
            } else {
                generators.add(keyTransport(cert));
            }
        }
        return generators;
    }

    private RecipientInfoGenerator keyTransport(X509Certificate cert) throws CertificateEncodingException {
        return keyTransports.get(cert, this::newKeyTransport);
    }

    private RecipientInfoGenerator newKeyTransport(X509Certificate cert) throws CertificateEncodingException {
        byte[] ski = Certificates.subjectKeyIdentifier(cert);
        boolean bySki = settings.recipientIdentifier() == RecipientIdentifierType.SUBJECT_KEY_IDENTIFIER && ski != null;
        JceKeyTransRecipientInfoGenerator generator;
        if (settings.keyTransport() == KeyTransport.RSA_OAEP_SHA256) {
            generator = bySki
                    ? new JceKeyTransRecipientInfoGenerator(ski, oaepSha256, cert.getPublicKey())
                    : new JceKeyTransRecipientInfoGenerator(cert, oaepSha256);
        } else {
            generator = bySki
                    ? new JceKeyTransRecipientInfoGenerator(ski, cert.getPublicKey())
                    : new JceKeyTransRecipientInfoGenerator(cert);
        }
        providers.keyTransport(false, settings.keyTransport() == KeyTransport.RSA_OAEP_SHA256)
                .ifPresent(generator::setProvider);
        return generator;
    }

    private static String curveName(ECParameterSpec params) {
        return params.getCurve().getField().getFieldSize() + ":" + params.getGenerator().getAffineX();
    }
}
