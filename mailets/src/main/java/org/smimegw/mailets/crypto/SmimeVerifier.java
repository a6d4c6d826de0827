package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.mail.smime.SMIMESignedParser;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Store;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies S/MIME signatures: clear-signed multipart/signed and opaque signed-data, RFC 8551 and legacy
 * {@code x-pkcs7} names, any number of signers. Each signer's certificate is validated through the
 * {@link CertificateValidator} at the signing time and now; an intact signature whose certificate expired after
 * signing still counts as trusted. {@code valid} needs the signer bound to the one From mailbox
 * ({@link SenderBinding}). A bad signature or a malformed structure is a result, never an exception, and its reason
 * never quotes the message ({@link FailureReasons}). Immutable and thread-safe.
 */
public final class SmimeVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(SmimeVerifier.class);

    private static final Pattern SHA_NAME = Pattern.compile("^SHA(\\d{3})$");

    private final CertificateValidator validator;
    private final MessageFiles files;
    private final PrimitiveProviders providers;
    private final Provider provider;
    private final DigestCalculatorProvider digests;
    private final DefaultAlgorithmNameFinder names = new DefaultAlgorithmNameFinder();
    private final MethodHandle outputBodyPart = canonicalWriter();
    private final ParsedCertificates certificates = new ParsedCertificates();

    public SmimeVerifier(CertificateValidator validator, MessageFiles files) {
        this(validator, files, new PrimitiveProviders());
    }

    /** @param providers which JCA provider computes the digests and signature verifications */
    public SmimeVerifier(CertificateValidator validator, MessageFiles files, PrimitiveProviders providers) {
        this.validator = validator;
        this.files = files;
        this.providers = providers;
        this.provider = providers.bouncyCastle();
        this.digests = providers.digestCalculators();
    }

    public VerificationResult verify(MimeMessage message, Instant now) {
        SmimeContentTypes.Kind kind;
        try {
            kind = SmimeContentTypes.classify(message);
        } catch (MessagingException e) {
            return VerificationResult.of(VerificationStatus.MALFORMED, FailureReasons.UNREADABLE_MIME);
        }
        InputStream signedData = null;
        try {
            CMSSignedDataParser parser;
            Optional<HeaderProtection.Payload> protectedHeaders;
            switch (kind) {
                case CLEAR_SIGNED -> {
                    Object content = message.getContent();
                    if (!(content instanceof MimeMultipart multipart) || multipart.getCount() != 2) {
                        return VerificationResult.of(VerificationStatus.MALFORMED, "multipart/signed without two parts");
                    }
                    parser = clearSigned(multipart);
                    protectedHeaders = HeaderProtection.read(multipart.getBodyPart(0));
                }
                case OPAQUE_SIGNED, PKCS7_UNTYPED -> {
                    signedData = message.getInputStream();
                    try {
                        parser = new CMSSignedDataParser(digests, signedData);
                    } catch (CMSException e) {
                        if (kind == SmimeContentTypes.Kind.PKCS7_UNTYPED) {
                            return VerificationResult.of(VerificationStatus.NOT_SIGNED, "not signed-data");
                        }
                        throw e;
                    }
                    // digested as it is read; only the verdict and the content's header section are kept
                    protectedHeaders = drainKeepingHeaders(parser.getSignedContent());
                }
                default -> {
                    return VerificationResult.of(VerificationStatus.NOT_SIGNED, "not S/MIME signed");
                }
            }
            try {
                // the signed content has been read (and digested) above; a protected header section is what a
                // reader is shown, so its From is the one the signer must match (RFC 9788 section 4.4)
                SenderBinding from = protectedHeaders.map(p -> SenderBinding.of(p.values("From")))
                        .orElseGet(() -> SenderBinding.of(message));
                VerificationResult result = verifySigners(parser, from, now);
                return new VerificationResult(result.status(), result.signers(), result.reasons(), protectedHeaders);
            } finally {
                parser.close();
            }
        } catch (CMSException | MessagingException | IOException | RuntimeException e) {
            return VerificationResult.of(VerificationStatus.MALFORMED, FailureReasons.signature(e, LOG));
        } finally {
            if (signedData != null) {
                try {
                    signedData.close();
                } catch (IOException e) {
                    // nothing more to read from it
                }
            }
        }
    }

    /**
     * Parses a clear-signed message and digests its first part in the canonical form Bouncy Castle's
     * {@link SMIMESignedParser} digests (its package-private {@code SMIMEUtil.outputBodyPart}: the part as received,
     * line ends canonicalised), but buffered through {@link MessageFiles} (in memory when small) instead of a new
     * temporary file per message as SMIMESignedParser does. Falls back to SMIMESignedParser when that method is not
     * accessible.
     */
    private CMSSignedDataParser clearSigned(MimeMultipart multipart) throws CMSException, MessagingException, IOException {
        if (outputBodyPart == null) {
            return new SMIMESignedParser(digests, multipart, "7bit");
        }
        BodyPart content = multipart.getBodyPart(0);
        BodyPart signature = multipart.getBodyPart(1);
        if (signature.isMimeType("multipart/signed")) {
            throw new MessagingException("the signature part of multipart/signed is itself multipart/signed");
        }
        try (InputStream canonical = files.write(out -> writeCanonical(out, content))) {
            // the signature part is read lazily by the parser and closed with it
            CMSSignedDataParser parser = new CMSSignedDataParser(digests, new CMSTypedStream(canonical),
                    signature.getInputStream());
            drain(parser.getSignedContent());
            return parser;
        }
    }

    /**
     * Bouncy Castle canonicalises one byte at a time; {@code out} (MessageFiles' buffer) takes single bytes without a
     * lock, where a {@link java.io.BufferedOutputStream} in between took a lock per byte.
     */
    private void writeCanonical(OutputStream out, BodyPart part) throws IOException, MessagingException {
        try {
            outputBodyPart.invoke(out, true, part, "7bit");
        } catch (IOException | MessagingException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("cannot write the signed part: " + e, e);
        }
        out.flush();
    }

    /** The most of opaque signed content read to find its header section (a longer one is taken as none). */
    private static final int MAX_PAYLOAD_HEADER_BYTES = 64 * 1024;

    /**
     * Drains (and so digests) opaque signed content, keeping its header section's RFC 9788 protection, if any. At
     * most {@link #MAX_PAYLOAD_HEADER_BYTES} are looked at, so content without line ends is never held whole.
     */
    private static Optional<HeaderProtection.Payload> drainKeepingHeaders(CMSTypedStream content) throws CMSException {
        if (content == null) {
            return Optional.empty();
        }
        Optional<HeaderProtection.Payload> headers = Optional.empty();
        try {
            byte[] prefix = content.getContentStream().readNBytes(MAX_PAYLOAD_HEADER_BYTES);
            String text = new String(prefix, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (text.contains("\r\n\r\n") || text.contains("\n\n")) {
                headers = HeaderProtection.read(new jakarta.mail.internet.InternetHeaders(
                        new java.io.ByteArrayInputStream(prefix)));
            }
        } catch (IOException e) {
            throw new CMSException("unable to read content for verification: " + e, e);
        } catch (MessagingException e) {
            headers = Optional.empty();
        }
        drain(content);
        return headers;
    }

    private static void drain(CMSTypedStream content) throws CMSException {
        if (content == null) {
            return;
        }
        try {
            content.drain();
        } catch (IOException e) {
            throw new CMSException("unable to read content for verification: " + e, e);
        }
    }

    /** Bouncy Castle's writer of a received body part in canonical form, or null when it cannot be reached. */
    private static MethodHandle canonicalWriter() {
        try {
            Class<?> util = Class.forName("org.bouncycastle.mail.smime.SMIMEUtil");
            Method m = util.getDeclaredMethod("outputBodyPart", OutputStream.class, boolean.class, BodyPart.class,
                    String.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private VerificationResult verifySigners(CMSSignedDataParser parser, SenderBinding from, Instant now)
            throws CMSException {
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> store = parser.getCertificates();
        List<X509Certificate> supplied = new ArrayList<>();
        for (X509CertificateHolder holder : store.getMatches(null)) {
            try {
                supplied.add(certificates.certificate(holder));
            } catch (CertificateException e) {
                // an unparseable extra certificate does not spoil the others
            }
        }
        Collection<SignerInformation> signers = parser.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            return VerificationResult.of(VerificationStatus.MALFORMED, "no signer in the signature");
        }
        List<SignerResult> results = new ArrayList<>();
        VerificationStatus overall = VerificationStatus.VALID;
        List<String> reasons = new ArrayList<>();
        for (SignerInformation signer : signers) {
            SignerResult r = verifySigner(signer, store, supplied, from, now);
            results.add(r);
            overall = overall.worse(r.status());
            reasons.addAll(r.reasons());
        }
        return new VerificationResult(overall, results, reasons);
    }

    @SuppressWarnings("unchecked")
    private SignerResult verifySigner(SignerInformation signer, Store<X509CertificateHolder> store,
                                      List<X509Certificate> supplied, SenderBinding from, Instant now) {
        List<String> reasons = new ArrayList<>();
        String digest = SHA_NAME.matcher(name(signer.getDigestAlgOID())).replaceFirst("SHA-$1");
        String signature = name(signer.getEncryptionAlgOID());
        Instant signingTime = signingTime(signer);
        SmimeCapabilities capabilities = Capabilities.fromSignedAttributes(signer.getSignedAttributes());
        Collection<X509CertificateHolder> matches = store.getMatches(signer.getSID());
        if (matches.isEmpty()) {
            reasons.add("the signer's certificate is not in the signature");
            return new SignerResult(VerificationStatus.UNTRUSTED, null, supplied, signingTime, digest, signature,
                    false, null, null, null, capabilities, reasons);
        }
        X509CertificateHolder holder = matches.iterator().next();
        X509Certificate certificate;
        try {
            certificate = certificates.certificate(holder);
        } catch (CertificateException e) {
            reasons.add(FailureReasons.UNREADABLE_CERTIFICATE);
            return new SignerResult(VerificationStatus.MALFORMED, null, supplied, signingTime, digest, signature,
                    false, null, null, null, capabilities, reasons);
        }
        boolean intact = false;
        try {
            // built from the public key: certificate validity is the validator's question, not Bouncy Castle's
            intact = signer.verify(providers.signerVerifier(certificate.getPublicKey()));
            if (!intact) {
                intact = verifyAsEncoded(signer, certificate);
            }
            if (!intact) {
                reasons.add("signature does not verify");
            }
        } catch (CMSSignerDigestMismatchException e) {
            reasons.add("content digest mismatch (message altered)");
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            reasons.add(FailureReasons.UNCHECKABLE_SIGNATURE);
        }
        ValidationResult atNow = validator.validate(certificate, supplied, Purpose.SIGN, null, now);
        ValidationResult atSigning = signingTime == null ? null
                : validator.validate(certificate, supplied, Purpose.SIGN, null, signingTime);
        boolean trusted = atNow.isValid()
                || (atSigning != null && atSigning.isValid() && atNow.failures().stream()
                        .allMatch(f -> f.reason() == ValidationFailure.Reason.EXPIRED));
        if (!trusted) {
            ValidationResult shown = atSigning != null && !atSigning.isValid() ? atSigning : atNow;
            shown.failures().forEach(f -> reasons.add(f.toString()));
        } else if (!atNow.isValid()) {
            reasons.add("certificate expired after signing");
        }
        SenderBinding.Result binding = from.bind(certificate);
        String matched = binding.address();
        VerificationStatus status;
        if (!intact) {
            status = VerificationStatus.INVALID_SIGNATURE;
        } else if (!trusted) {
            status = VerificationStatus.UNTRUSTED;
        } else {
            status = switch (binding.outcome()) {
                case BOUND -> VerificationStatus.VALID;
                case AMBIGUOUS -> VerificationStatus.AMBIGUOUS_SENDER;
                case MISMATCH -> VerificationStatus.SIGNER_MISMATCH;
            };
            if (binding.reason() != null) {
                reasons.add(binding.reason());
            }
        }
        return new SignerResult(status, certificate, supplied, signingTime, digest, signature, intact,
                atSigning, atNow, matched, capabilities, reasons);
    }

    /**
     * Some clients (Outlook for Mac among them) sign signed attributes in an order that is not DER's sorted SET OF.
     * Bouncy Castle re-encodes them sorted and so rejects such signatures; OpenSSL checks the bytes as sent. For
     * PKCS#1 v1.5 signatures this checks the signature over the attributes as encoded in the message, after
     * checking that their message-digest attribute equals the content digest Bouncy Castle computed.
     */
    private boolean verifyAsEncoded(SignerInformation signer, X509Certificate certificate) {
        try {
            if (signer.getSignedAttributes() == null || signer.getContentDigest() == null
                    || !signer.getEncryptionAlgOID().equals(PKCSObjectIdentifiers.rsaEncryption.getId())) {
                return false;
            }
            Attribute digestAttribute = signer.getSignedAttributes().get(CMSAttributes.messageDigest);
            if (digestAttribute == null || digestAttribute.getAttrValues().size() != 1) {
                return false;
            }
            byte[] claimed = ASN1OctetString.getInstance(digestAttribute.getAttrValues().getObjectAt(0)).getOctets();
            if (!MessageDigest.isEqual(claimed, signer.getContentDigest())) {
                return false;
            }
            String digest = name(signer.getDigestAlgOID()).replace("-", "");
            Signature signature = Signature.getInstance(digest + "withRSA", provider);
            signature.initVerify(certificate.getPublicKey());
            signature.update(signer.toASN1Structure().getAuthenticatedAttributes().getEncoded(ASN1Encoding.DL));
            return signature.verify(signer.getSignature());
        } catch (Exception e) {
            return false;
        }
    }

    private static Instant signingTime(SignerInformation signer) {
        if (signer.getSignedAttributes() == null) {
            return null;
        }
        Attribute attribute = signer.getSignedAttributes().get(CMSAttributes.signingTime);
        if (attribute == null || attribute.getAttrValues().size() == 0) {
            return null;
        }
        try {
            Time time = Time.getInstance(attribute.getAttrValues().getObjectAt(0));
            if (time.toASN1Primitive() instanceof ASN1UTCTime utc) {
                Instant fast = utcTime(utc.getTime());
                if (fast != null) {
                    return fast;
                }
            }
            return time.getDate().toInstant();  // builds a SimpleDateFormat: only for the unusual forms
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The instant of a UTCTime as Bouncy Castle normalises it, {@code YYMMDDhhmmssGMT+00:00} (the DER form
     * {@code YYMMDDhhmmssZ} that CMS requires); years 50-99 are 19xx (RFC 5280). Null for any other form.
     */
    static Instant utcTime(String text) {
        if (text == null || text.length() != 21 || !text.endsWith("GMT+00:00")) {
            return null;
        }
        for (int i = 0; i < 12; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        int yy = Integer.parseInt(text, 0, 2, 10);
        try {
            return java.time.LocalDateTime.of(yy < 50 ? 2000 + yy : 1900 + yy, Integer.parseInt(text, 2, 4, 10),
                    Integer.parseInt(text, 4, 6, 10), Integer.parseInt(text, 6, 8, 10),
                    Integer.parseInt(text, 8, 10, 10), Integer.parseInt(text, 10, 12, 10))
                    .toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private String name(String oid) {
        try {
            ASN1ObjectIdentifier id = new ASN1ObjectIdentifier(oid);
            return names.hasAlgorithmName(id) ? names.getAlgorithmName(id) : oid;
        } catch (RuntimeException e) {
            return oid;
        }
    }
}
