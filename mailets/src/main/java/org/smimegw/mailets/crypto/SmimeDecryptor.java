package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.mail.smime.SMIMEEnvelopedParser;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.smimegw.certstore.CertificateInfo;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.pkcs11.TokenKeyAgreeRecipient;
import org.smimegw.certstore.pkcs11.TokenKeyTransRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts whole-message S/MIME encryption (EnvelopedData and AuthEnvelopedData; key transport RSA PKCS#1 v1.5 and
 * OAEP, ECDH key agreement; recipients named by issuer/serial or SKI) with the keys the store holds. Only the top
 * level of a message is decrypted: an encrypted part nested in an unencrypted multipart is refused (EFAIL), so
 * attacker-chosen clear text is never joined to decrypted content. Never throws for bad input: the outcome is in
 * the {@link DecryptionResult}. Immutable and thread-safe.
 */
public final class SmimeDecryptor {

    private static final Logger LOG = LoggerFactory.getLogger(SmimeDecryptor.class);
    private static final int MAX_NESTED_SCAN_DEPTH = 8;

    private final MessageFiles files;
    private final PrimitiveProviders providers;
    private final Provider provider;
    private final DefaultAlgorithmNameFinder names = new DefaultAlgorithmNameFinder();

    public SmimeDecryptor(MessageFiles files) {
        this(files, new PrimitiveProviders());
    }

    /** @param providers which JCA provider computes the RSA private-key operation (the content: Bouncy Castle's) */
    public SmimeDecryptor(MessageFiles files, PrimitiveProviders providers) {
        this.files = files;
        this.providers = providers;
        this.provider = providers.bouncyCastle();
    }

    public DecryptionResult decrypt(MimeMessage message, Collection<UserKey> keys) {
        return decrypt(message, keys, List.of());
    }

    /**
     * Decrypts with {@code keys}; {@code refused} are keys held that policy does not let decrypt: they are never
     * used, and when one of them is what the message is encrypted to (and no usable key is), the result is
     * {@link DecryptionResult.Status#KEY_REFUSED} with its reason instead of {@code NO_KEY}.
     */
    public DecryptionResult decrypt(MimeMessage message, Collection<UserKey> keys, Collection<RefusedKey> refused) {
        SmimeContentTypes.Kind kind;
        try {
            kind = SmimeContentTypes.classify(message);
            if (!SmimeContentTypes.isEncrypted(message)) {
                if (containsEncryptedPart(message, 0)) {
                    return DecryptionResult.of(DecryptionResult.Status.NESTED_REFUSED, null,
                            "an encrypted part inside an unencrypted multipart is not decrypted");
                }
                return DecryptionResult.of(DecryptionResult.Status.NOT_ENCRYPTED, null, "not encrypted");
            }
        } catch (MessagingException | IOException e) {
            return DecryptionResult.of(DecryptionResult.Status.FAILED, null, "unreadable MIME structure: " + e.getMessage());
        }
        try {
            if (kind == SmimeContentTypes.Kind.AUTH_ENVELOPED) {
                return authEnveloped(message, keys, refused);
            }
            try {
                return enveloped(message, keys, refused);
            } catch (CMSException e) {
                if (kind == SmimeContentTypes.Kind.PKCS7_UNTYPED) {
                    return authEnveloped(message, keys, refused);
                }
                throw e;
            }
        } catch (CMSException | IOException | MessagingException | RuntimeException e) {
            return DecryptionResult.of(DecryptionResult.Status.FAILED, null, "cannot decrypt: " + e.getMessage());
        }
    }

    private DecryptionResult enveloped(MimeMessage message, Collection<UserKey> keys, Collection<RefusedKey> refused)
            throws CMSException, IOException, MessagingException {
        SMIMEEnvelopedParser parser = new SMIMEEnvelopedParser(message);
        try {
            return decrypt(message, parser.getRecipientInfos(), parser.getContentEncryptionAlgorithm(), keys, refused);
        } finally {
            parser.close();
        }
    }

    /**
     * AuthEnvelopedData is parsed whole, not streamed: Bouncy Castle 1.82's streaming CMSAuthEnvelopedDataParser
     * returns unauthenticated garbage for definite-length (DER) input such as OpenSSL produces, without failing the
     * GCM tag check. The non-streaming CMSAuthEnvelopedData checks the tag before releasing any plain text.
     */
    private DecryptionResult authEnveloped(MimeMessage message, Collection<UserKey> keys, Collection<RefusedKey> refused)
            throws CMSException, IOException, MessagingException {
        CMSAuthEnvelopedData data;
        try (InputStream in = message.getInputStream()) {
            data = new CMSAuthEnvelopedData(in);
        }
        String algorithm = algorithmName(new AlgorithmIdentifier(new org.bouncycastle.asn1.ASN1ObjectIdentifier(data.getEncryptionAlgOID())));
        for (UserKey key : keys) {
            X509CertificateHolder holder;
            try {
                holder = new X509CertificateHolder(key.certificate().getEncoded());
            } catch (CertificateEncodingException e) {
                continue;
            }
            for (RecipientInformation info : matching(data.getRecipientInfos(), holder)) {
                Recipient recipient = recipientFor(info, key);
                if (recipient == null) {
                    continue;
                }
                byte[] plain = info.getContent(recipient);
                MimeBodyPart entity = files.part(out -> out.write(plain));
                MimeMessage decrypted = MimeMessages.withEntity(message, entity, files);
                return new DecryptionResult(DecryptionResult.Status.DECRYPTED, Optional.of(decrypted), algorithm,
                        algorithmName(info.getKeyEncryptionAlgorithm()), key.certificate(), "decrypted");
            }
        }
        return noUsableKey(data.getRecipientInfos(), algorithm, refused);
    }

    private DecryptionResult decrypt(MimeMessage message, RecipientInformationStore recipients,
                                     AlgorithmIdentifier contentAlgorithm, Collection<UserKey> keys,
                                     Collection<RefusedKey> refused)
            throws CMSException, IOException, MessagingException {
        String algorithm = algorithmName(contentAlgorithm);
        for (UserKey key : keys) {
            X509CertificateHolder holder;
            try {
                holder = new X509CertificateHolder(key.certificate().getEncoded());
            } catch (CertificateEncodingException e) {
                continue;
            }
            for (RecipientInformation info : matching(recipients, holder)) {
                Recipient recipient = recipientFor(info, key);
                if (recipient == null) {
                    continue;
                }
                CMSTypedStream plain = info.getContentStream(recipient);
                MimeBodyPart entity;
                try (InputStream in = plain.getContentStream()) {
                    // the whole plain text is written (and, for AuthEnvelopedData, its tag checked) before use
                    entity = files.part(in::transferTo);
                }
                MimeMessage decrypted = MimeMessages.withEntity(message, entity, files);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("decrypted with {} ({})", CertificateInfo.of(key.certificate()), algorithm);
                }
                return new DecryptionResult(DecryptionResult.Status.DECRYPTED, Optional.of(decrypted), algorithm,
                        algorithmName(info.getKeyEncryptionAlgorithm()), key.certificate(), "decrypted");
            }
        }
        return noUsableKey(recipients, algorithm, refused);
    }

    /** No usable key decrypted: a refused key the message is for makes it KEY_REFUSED (with why), else NO_KEY. */
    private static DecryptionResult noUsableKey(RecipientInformationStore recipients, String algorithm,
                                                Collection<RefusedKey> refused) {
        for (RefusedKey r : refused) {
            try {
                if (!matching(recipients, new X509CertificateHolder(r.key().certificate().getEncoded())).isEmpty()) {
                    return DecryptionResult.of(DecryptionResult.Status.KEY_REFUSED, algorithm, r.reason());
                }
            } catch (CertificateEncodingException | IOException e) {
                // a certificate that does not encode matches nothing
            }
        }
        return DecryptionResult.of(DecryptionResult.Status.NO_KEY, algorithm,
                "no key held for any of the " + recipients.size() + " recipient(s)");
    }

    private static List<RecipientInformation> matching(RecipientInformationStore recipients, X509CertificateHolder holder) {
        List<RecipientInformation> out = new ArrayList<>();
        for (RecipientInformation info : recipients.getRecipients()) {
            if (info.getRID().match(holder)) {
                out.add(info);
            }
        }
        return out;
    }

    private Recipient recipientFor(RecipientInformation info, UserKey key) {
        Provider tokenProvider = key.provider();
        if (info instanceof KeyTransRecipientInformation) {
            if (tokenProvider != null) {
                // RSA in the token (PKCS#1 v1.5 there; OAEP as raw RSA there, decoded here), content decrypted here
                return new TokenKeyTransRecipient(key.privateKey(), key.certificate(), tokenProvider, provider);
            }
            // the RSA unwrap with the provider chosen for RSA private-key operations, the content with Bouncy
            // Castle's (every CMS content algorithm, the JDK lacks some such as Camellia or SEED)
            JceKeyTransEnvelopedRecipient recipient = new JceKeyTransEnvelopedRecipient(key.privateKey());
            boolean oaep = !PKCSObjectIdentifiers.rsaEncryption.equals(info.getKeyEncryptionAlgorithm().getAlgorithm());
            providers.keyTransport(true, oaep).ifPresent(recipient::setProvider);
            return recipient.setContentProvider(provider);
        }
        if (info instanceof KeyAgreeRecipientInformation) {
            if (tokenProvider != null) {
                // ECDH in the token, KDF, key unwrap and content here (BC's recipient needs the encoded key)
                return new TokenKeyAgreeRecipient(key.privateKey(), key.certificate(), tokenProvider, provider);
            }
            return new JceKeyAgreeEnvelopedRecipient(key.privateKey()).setProvider(provider);
        }
        return null;
    }

    private String algorithmName(AlgorithmIdentifier id) {
        if (id == null) {
            return null;
        }
        List<EncryptionAlgorithm> known = EncryptionAlgorithm.byOid(id.getAlgorithm().getId());
        if (known.size() == 1) {
            return known.get(0).displayName();
        }
        return names.hasAlgorithmName(id.getAlgorithm()) ? names.getAlgorithmName(id.getAlgorithm()) : id.getAlgorithm().getId();
    }

    private static boolean containsEncryptedPart(Part part, int depth) throws MessagingException, IOException {
        if (depth > MAX_NESTED_SCAN_DEPTH || !part.isMimeType("multipart/*")) {
            return false;
        }
        Object content = part.getContent();
        if (!(content instanceof Multipart multipart)) {
            return false;
        }
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart child = multipart.getBodyPart(i);
            if (SmimeContentTypes.isEncrypted(child) || containsEncryptedPart(child, depth + 1)) {
                return true;
            }
        }
        return false;
    }
}
