package org.smimegw.certstore.testing;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;

/**
 * CMS as an attacker (or an odd client) builds it, for tests of what a verifier and a decryptor make of it:
 * SignedData with chosen signers, content and certificates; EnvelopedData and AuthEnvelopedData of any bytes; and
 * the alterations CBC malleability allows (EFAIL). DER in, DER out; no mail types.
 */
public final class CmsForgery {

    /** Bouncy Castle's provider: the JDK's has no key generator for every CMS content algorithm by OID. */
    private static final Provider PROVIDER = new BouncyCastleProvider();

    private CmsForgery() {
    }

    /** Who a SignerInfo claims to be (its certificate, for the SID) and the key that really signs. */
    public record Signer(X509Certificate claimed, PrivateKey key) {
        /** A SignerInfo that is what it claims: signed with the key of its certificate. */
        public static Signer honest(TestPki.Issued issued) {
            return new Signer(issued.certificate(), issued.privateKey());
        }
    }

    /**
     * SignedData over {@code content}: one SignerInfo per signer (none at all is allowed), the certificates given,
     * the content encapsulated or not.
     */
    public static byte[] signedData(byte[] content, boolean encapsulate, List<Signer> signers,
                             Collection<X509Certificate> certificates) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        for (Signer s : signers) {
            String algorithm = s.key().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(algorithm).build(s.key()), s.claimed()));
        }
        if (!certificates.isEmpty()) {
            generator.addCertificates(new JcaCertStore(certificates));
        }
        return generator.generate(new CMSProcessableByteArray(content), encapsulate).getEncoded();
    }

    /** {@code signed} with the SignerInfos of {@code others} added after (or before) its own. */
    public static byte[] withSignersOf(byte[] signed, byte[] others, boolean before) throws Exception {
        CMSSignedData base = new CMSSignedData(signed);
        CMSSignedData extra = new CMSSignedData(others);
        List<SignerInformation> all = new ArrayList<>();
        if (before) {
            all.addAll(extra.getSignerInfos().getSigners());
        }
        all.addAll(base.getSignerInfos().getSigners());
        if (!before) {
            all.addAll(extra.getSignerInfos().getSigners());
        }
        CMSSignedData combined = CMSSignedData.replaceSigners(base, new SignerInformationStore(all));
        List<X509CertificateHolder> certs = new ArrayList<>(base.getCertificates().getMatches(null));
        certs.addAll(extra.getCertificates().getMatches(null));
        return CMSSignedData.replaceCertificatesAndCRLs(combined, new CollectionStore<>(certs),
                null, null).getEncoded();
    }

    /** EnvelopedData (DER) of {@code content} for {@code recipient} with a CBC (or other EnvelopedData) algorithm. */
    public static byte[] enveloped(byte[] content, X509Certificate recipient, ASN1ObjectIdentifier algorithm)
            throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient));
        return generator.generate(new CMSProcessableByteArray(content),
                new JceCMSContentEncryptorBuilder(algorithm).setProvider(PROVIDER).build()).toASN1Structure().getEncoded(ASN1Encoding.DER);
    }

    /** AES-256-CBC EnvelopedData of text written one char per byte. */
    public static byte[] enveloped(String content, X509Certificate recipient) throws Exception {
        return enveloped(content.getBytes(StandardCharsets.ISO_8859_1), recipient, CMSAlgorithm.AES256_CBC);
    }

    /** AES-256-GCM AuthEnvelopedData (RFC 5083/5084, DER) of text written one char per byte. */
    public static byte[] authEnveloped(String content, X509Certificate recipient) throws Exception {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient));
        return generator.generate(new CMSProcessableByteArray(content.getBytes(StandardCharsets.ISO_8859_1)),
                        (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                                .setProvider(PROVIDER).build())
                .toASN1Structure().getEncoded(ASN1Encoding.DER);
    }

    /**
     * CBC malleability on the IV: XORs {@code delta} into the IV, which XORs it into the first plaintext block
     * without garbling anything (EFAIL's chosen first block).
     */
    public static byte[] xorIv(byte[] envelopedDer, byte[] delta) {
        EnvelopedData data = envelopedData(envelopedDer);
        EncryptedContentInfo info = data.getEncryptedContentInfo();
        AlgorithmIdentifier alg = info.getContentEncryptionAlgorithm();
        byte[] iv = ASN1OctetString.getInstance(alg.getParameters()).getOctets().clone();
        for (int i = 0; i < delta.length; i++) {
            iv[i] ^= delta[i];
        }
        EncryptedContentInfo changed = new EncryptedContentInfo(info.getContentType(),
                new AlgorithmIdentifier(alg.getAlgorithm(), new DEROctetString(iv)), info.getEncryptedContent());
        return rebuild(data, changed);
    }

    /** The same EnvelopedData claiming another content-encryption algorithm (the IV kept as its parameter). */
    public static byte[] withContentAlgorithm(byte[] envelopedDer, ASN1ObjectIdentifier algorithm) {
        EnvelopedData data = envelopedData(envelopedDer);
        EncryptedContentInfo info = data.getEncryptedContentInfo();
        return rebuild(data, new EncryptedContentInfo(info.getContentType(), new AlgorithmIdentifier(algorithm,
                info.getContentEncryptionAlgorithm().getParameters()), info.getEncryptedContent()));
    }

    /** The delta that turns {@code known} plaintext at the start of the first block into {@code wanted}. */
    public static byte[] delta(String known, String wanted) {
        byte[] a = known.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = wanted.getBytes(StandardCharsets.ISO_8859_1);
        byte[] d = new byte[Math.min(a.length, b.length)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (a[i] ^ b[i]);
        }
        return d;
    }

    /**
     * CBC malleability inside the ciphertext: XORs {@code delta} into the ciphertext at {@code offset}, which garbles
     * that block's plaintext and XORs {@code delta} into the next block's (a CBC gadget).
     */
    public static byte[] xorCiphertext(byte[] envelopedDer, int offset, byte[] delta) {
        EnvelopedData data = envelopedData(envelopedDer);
        EncryptedContentInfo info = data.getEncryptedContentInfo();
        byte[] ciphertext = info.getEncryptedContent().getOctets().clone();
        for (int i = 0; i < delta.length; i++) {
            ciphertext[offset + i] ^= delta[i];
        }
        return rebuild(data, new EncryptedContentInfo(info.getContentType(), info.getContentEncryptionAlgorithm(),
                new DEROctetString(ciphertext)));
    }

    /** As {@link #xorCiphertext}, in the authenticated-encrypted content of AuthEnvelopedData (RFC 5083). */
    public static byte[] xorAuthCiphertext(byte[] authEnvelopedDer, int offset, byte[] delta) {
        ContentInfo ci = ContentInfo.getInstance(toPrimitive(authEnvelopedDer));
        AuthEnvelopedData data = AuthEnvelopedData.getInstance(ci.getContent());
        EncryptedContentInfo info = data.getAuthEncryptedContentInfo();
        byte[] ciphertext = info.getEncryptedContent().getOctets().clone();
        for (int i = 0; i < delta.length; i++) {
            ciphertext[offset + i] ^= delta[i];
        }
        AuthEnvelopedData changed = new AuthEnvelopedData(data.getOriginatorInfo(), data.getRecipientInfos(),
                new EncryptedContentInfo(info.getContentType(), info.getContentEncryptionAlgorithm(),
                        new DEROctetString(ciphertext)), data.getAuthAttrs(), data.getMac(), data.getUnauthAttrs());
        try {
            return new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, changed)
                    .getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ciphertext without its last {@code blocks} 16-byte blocks (truncated in transit). */
    public static byte[] truncate(byte[] envelopedDer, int blocks) {
        EnvelopedData data = envelopedData(envelopedDer);
        EncryptedContentInfo info = data.getEncryptedContentInfo();
        byte[] c = info.getEncryptedContent().getOctets();
        byte[] shorter = Arrays.copyOf(c, c.length - 16 * blocks);
        return rebuild(data, new EncryptedContentInfo(info.getContentType(), info.getContentEncryptionAlgorithm(),
                new DEROctetString(shorter)));
    }

    private static EnvelopedData envelopedData(byte[] der) {
        ContentInfo ci = ContentInfo.getInstance(toPrimitive(der));
        return EnvelopedData.getInstance(ci.getContent());
    }

    private static byte[] rebuild(EnvelopedData data, EncryptedContentInfo info) {
        EnvelopedData changed = new EnvelopedData(data.getOriginatorInfo(), data.getRecipientInfos(), info,
                data.getUnprotectedAttrs());
        try {
            return new ContentInfo(CMSObjectIdentifiers.envelopedData, changed)
                    .getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ASN1Primitive toPrimitive(byte[] der) {
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
