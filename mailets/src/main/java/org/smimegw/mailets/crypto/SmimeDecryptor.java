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
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
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
    private final CertificateHolders holders = new CertificateHolders();

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
                Optional<String> container = encryptedPartContainer(message, 0);
                if (container.isPresent()) {
                    return DecryptionResult.of(DecryptionResult.Status.NESTED_REFUSED, null, "an encrypted part inside "
                            + container.get() + " is not decrypted: only a wholly encrypted message is (EFAIL)");
                }
                return DecryptionResult.of(DecryptionResult.Status.NOT_ENCRYPTED, null, "not encrypted");
            }
        } catch (MessagingException | RuntimeException e) {
            return DecryptionResult.of(DecryptionResult.Status.FAILED, null, FailureReasons.UNREADABLE_MIME);
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
            return DecryptionResult.of(DecryptionResult.Status.FAILED, null, FailureReasons.decryption(e, LOG));
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
            ContentInfo info = ContentInfo.getInstance(new ASN1InputStream(in).readObject());
            if (info == null || !CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
                // e.g. EnvelopedData labelled authEnveloped-data: parsing it as AuthEnvelopedData would crash
                throw new CMSException("not AuthEnvelopedData");
            }
            data = new CMSAuthEnvelopedData(info);
        }
        String algorithm = algorithmName(new AlgorithmIdentifier(new org.bouncycastle.asn1.ASN1ObjectIdentifier(data.getEncryptionAlgOID())));
        // the structure promises an authentication tag; only an AEAD algorithm keeps that promise
        boolean authenticated = EncryptionAlgorithm.isAuthenticatedEncryption(data.getEncryptionAlgOID());
        for (UserKey key : keys) {
            X509CertificateHolder holder;
            try {
                holder = holders.holder(key.certificate());
            } catch (CertificateEncodingException e) {
                continue;
            }
            for (RecipientInformation info : matching(data.getRecipientInfos(), holder)) {
                Recipient recipient = recipientFor(info, key, Optional.of(provider));
                if (recipient == null) {
                    continue;
                }
                byte[] plain = info.getContent(recipient);
                return decrypted(message, files.part(out -> out.write(plain)), authenticated, algorithm, info, key);
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
                holder = holders.holder(key.certificate());
            } catch (CertificateEncodingException e) {
                continue;
            }
            for (RecipientInformation info : matching(recipients, holder)) {
                Recipient recipient = recipientFor(info, key, providers.contentDecryption(contentAlgorithm));
                if (recipient == null) {
                    continue;
                }
                CMSTypedStream plain = info.getContentStream(recipient);
                MimeBodyPart entity;
                try (InputStream in = plain.getContentStream()) {
                    // the whole plain text is written (its padding checked) before any of it is used
                    entity = files.part(in::transferTo);
                }
                // EnvelopedData has no integrity check, whatever its algorithm
                return decrypted(message, entity, false, algorithm, info, key);
            }
        }
        return noUsableKey(recipients, algorithm, refused);
    }

    /**
     * The message to deliver in place of {@code message}, or FAILED (the ciphertext stays) when the decrypted bytes
     * are no MIME entity the pipeline can parse, e.g. because CBC ciphertext was altered.
     */
    private DecryptionResult decrypted(MimeMessage message, MimeBodyPart entity, boolean authenticated,
                                       String algorithm, RecipientInformation info, UserKey key)
            throws IOException, MessagingException {
        try {
            MimeMessages.requireReadable(entity);
        } catch (MessagingException | IOException | RuntimeException e) {
            return DecryptionResult.of(DecryptionResult.Status.FAILED, algorithm, FailureReasons.UNDECRYPTABLE);
        }
        // RFC 9788: protected headers of authenticated content are delivered; of malleable content, never
        Optional<HeaderProtection.Payload> payload = HeaderProtection.read(entity);
        HeaderProtection.Payload promoted = authenticated ? payload.orElse(null) : null;
        String headerProtection = payload.isEmpty()
                ? (SmimeContentTypes.isSigned(entity) ? null : HeaderProtection.NONE)
                : promoted == null ? HeaderProtection.UNAUTHENTICATED
                : HeaderProtection.verdict(promoted, message.getAllHeaderLines());
        MimeMessage decrypted = MimeMessages.withEntity(message, entity, promoted, files);
        if (LOG.isDebugEnabled()) {
            LOG.debug("decrypted with {} ({})", CertificateInfo.of(key.certificate()), algorithm);
        }
        return authenticated
                ? new DecryptionResult(DecryptionResult.Status.DECRYPTED, Optional.of(decrypted), algorithm,
                        algorithmName(info.getKeyEncryptionAlgorithm()), key.certificate(), "decrypted",
                        headerProtection)
                : new DecryptionResult(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED, Optional.of(decrypted),
                        algorithm, algorithmName(info.getKeyEncryptionAlgorithm()), key.certificate(),
                        unauthenticated(algorithm), headerProtection);
    }

    /** Why content decrypted from EnvelopedData is not trusted to be as sent. */
    static String unauthenticated(String algorithm) {
        return (algorithm == null ? "the" : algorithm) + " encryption carries no integrity check and no valid signature"
                + " inside vouches for the content: it may have been altered in transit";
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

    /** @param contentProvider the provider that decrypts the content (empty: the JCA's default, the JDK's) */
    private Recipient recipientFor(RecipientInformation info, UserKey key, Optional<Provider> contentProvider) {
        Provider tokenProvider = key.provider();
        if (info instanceof KeyTransRecipientInformation) {
            if (tokenProvider != null) {
                // RSA in the token (PKCS#1 v1.5 there; OAEP as raw RSA there, decoded here), content decrypted here
                return new TokenKeyTransRecipient(key.privateKey(), key.certificate(), tokenProvider, provider);
            }
            // the RSA unwrap with the provider chosen for RSA private-key operations, the content with the one chosen
            // for AES-CBC where it is AES-CBC, else with Bouncy Castle's (every CMS content algorithm, the JDK lacks
            // some such as Camellia or SEED)
            boolean oaep = !PKCSObjectIdentifiers.rsaEncryption.equals(info.getKeyEncryptionAlgorithm().getAlgorithm());
            Optional<Provider> unwrapProvider = providers.keyTransport(true, oaep);
            JceKeyTransEnvelopedRecipient recipient = new JceKeyTransEnvelopedRecipient(
                    unwrapProvider.map(p -> providers.inOwnForm(key.privateKey(), p)).orElse(key.privateKey()));
            unwrapProvider.ifPresent(recipient::setProvider);
            return recipient.setContentProvider(contentProvider.orElse(null));
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

    /**
     * The type of the multipart (or attached message) that holds an encrypted part, searched down to
     * {@link #MAX_NESTED_SCAN_DEPTH} levels; empty when there is none, or when the structure cannot be read (nothing
     * is decrypted then either).
     */
    private static Optional<String> encryptedPartContainer(Part part, int depth) {
        try {
            if (depth > MAX_NESTED_SCAN_DEPTH) {
                return Optional.empty();
            }
            if (part.isMimeType("message/rfc822") && part.getContent() instanceof MimeMessage attached) {
                return SmimeContentTypes.isEncrypted(attached) ? Optional.of("an attached message (message/rfc822)")
                        : encryptedPartContainer(attached, depth + 1);
            }
            if (!part.isMimeType("multipart/*") || !(part.getContent() instanceof Multipart multipart)) {
                return Optional.empty();
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                if (SmimeContentTypes.isEncrypted(child)) {
                    return Optional.of("a " + new ContentType(part.getContentType()).getBaseType()
                            .toLowerCase(java.util.Locale.ROOT));
                }
                Optional<String> deeper = encryptedPartContainer(child, depth + 1);
                if (deeper.isPresent()) {
                    return deeper;
                }
            }
            return Optional.empty();
        } catch (MessagingException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
