package org.smimegw.certstore.pkcs11;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import javax.crypto.KeyAgreement;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.ecc.ECCCMSSharedInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipient;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKEKEnvelopedRecipient;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.util.Pack;

/**
 * Decrypts CMS EnvelopedData sent to an EC certificate (ECDH key agreement, RFC 5753 / RFC 5008 "stdDH" and
 * "cofactorDH" schemes with the X9.63 KDF) when the private key is in a PKCS#11 token. Bouncy Castle's
 * {@code JceKeyAgreeEnvelopedRecipient} needs the encoded private key, which a token key does not give.
 *
 * <p>The ECDH step runs in the token ({@code KeyAgreement "ECDH"} of the token's provider); the shared secret, the
 * KDF, the AES key unwrap and the content decryption run in software ({@code contentProvider}, e.g. Bouncy Castle).
 * For the NIST curves (cofactor 1) "stdDH" and "cofactorDH" give the same secret.
 *
 * <pre>{@code
 * byte[] clear = recipientInfo.getContent(
 *         new TokenKeyAgreeRecipient(key.privateKey(), key.certificate(), source.provider(), bc));
 * }</pre>
 */
public final class TokenKeyAgreeRecipient implements KeyAgreeRecipient {

    private static final Map<ASN1ObjectIdentifier, String> KDF_DIGESTS = Map.ofEntries(
            Map.entry(X9ObjectIdentifiers.dhSinglePass_stdDH_sha1kdf_scheme, "SHA-1"),
            Map.entry(X9ObjectIdentifiers.dhSinglePass_cofactorDH_sha1kdf_scheme, "SHA-1"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_stdDH_sha224kdf_scheme, "SHA-224"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_cofactorDH_sha224kdf_scheme, "SHA-224"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme, "SHA-256"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_cofactorDH_sha256kdf_scheme, "SHA-256"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme, "SHA-384"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_cofactorDH_sha384kdf_scheme, "SHA-384"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_stdDH_sha512kdf_scheme, "SHA-512"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_cofactorDH_sha512kdf_scheme, "SHA-512"));

    private static final Map<ASN1ObjectIdentifier, Integer> WRAP_KEY_BITS = Map.of(
            NISTObjectIdentifiers.id_aes128_wrap, 128,
            NISTObjectIdentifiers.id_aes192_wrap, 192,
            NISTObjectIdentifiers.id_aes256_wrap, 256);

    private final PrivateKey tokenKey;
    private final SubjectPublicKeyInfo recipientPublicKey;
    private final Provider tokenProvider;
    private final Provider contentProvider;

    /**
     * @param tokenKey        the EC private key in the token ({@link org.smimegw.certstore.UserKey#privateKey()})
     * @param certificate     its certificate (gives the curve)
     * @param tokenProvider   {@link Pkcs11KeySource#provider()}
     * @param contentProvider software provider for key unwrap and content decryption (e.g. Bouncy Castle)
     */
    public TokenKeyAgreeRecipient(PrivateKey tokenKey, X509Certificate certificate, Provider tokenProvider,
                                  Provider contentProvider) {
        this.tokenKey = Objects.requireNonNull(tokenKey, "tokenKey");
        this.recipientPublicKey = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        this.tokenProvider = Objects.requireNonNull(tokenProvider, "tokenProvider");
        this.contentProvider = Objects.requireNonNull(contentProvider, "contentProvider");
    }

    @Override
    public AlgorithmIdentifier getPrivateKeyAlgorithmIdentifier() {
        return recipientPublicKey.getAlgorithm();
    }

    @Override
    public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncAlg,
                                                  AlgorithmIdentifier contentEncryptionAlgorithm,
                                                  SubjectPublicKeyInfo senderPublicKey,
                                                  ASN1OctetString userKeyingMaterial,
                                                  byte[] encryptedContentKey) throws CMSException {
        String kdfDigest = KDF_DIGESTS.get(keyEncAlg.getAlgorithm());
        if (kdfDigest == null) {
            throw new CMSException("key agreement " + keyEncAlg.getAlgorithm() + " is not supported with a token key"
                    + " (supported: ECDH stdDH/cofactorDH with the X9.63 KDF)");
        }
        AlgorithmIdentifier wrapAlg = AlgorithmIdentifier.getInstance(keyEncAlg.getParameters());
        Integer wrapBits = wrapAlg == null ? null : WRAP_KEY_BITS.get(wrapAlg.getAlgorithm());
        if (wrapBits == null) {
            throw new CMSException("key wrap " + (wrapAlg == null ? "(none)" : wrapAlg.getAlgorithm())
                    + " is not supported with a token key (supported: AES key wrap)");
        }
        byte[] z = null;
        byte[] kek = new byte[wrapBits / 8];
        try {
            PublicKey sender = KeyFactory.getInstance("EC", contentProvider)
                    .generatePublic(new X509EncodedKeySpec(senderPublicKey.getEncoded()));
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH", tokenProvider);
            agreement.init(tokenKey);
            agreement.doPhase(sender, true);
            z = agreement.generateSecret();
            byte[] sharedInfo = new ECCCMSSharedInfo(wrapAlg,
                    userKeyingMaterial == null ? null : userKeyingMaterial.getOctets(),
                    Pack.intToBigEndian(wrapBits)).getEncoded("DER");
            KDF2BytesGenerator kdf = new KDF2BytesGenerator(digest(kdfDigest));
            kdf.init(new KDFParameters(z, sharedInfo));
            kdf.generateBytes(kek, 0, kek.length);
            return new JceKEKEnvelopedRecipient(new SecretKeySpec(kek, "AES"))
                    .setProvider(contentProvider)
                    .getRecipientOperator(wrapAlg, contentEncryptionAlgorithm, encryptedContentKey);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new CMSException("ECDH with the token key failed: " + e.getMessage(),
                    e instanceof Exception ex ? ex : new IllegalStateException(e));
        } finally {
            if (z != null) {
                Arrays.fill(z, (byte) 0);
            }
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static Digest digest(String name) {
        return switch (name) {
            case "SHA-1" -> new SHA1Digest();
            case "SHA-224" -> new SHA224Digest();
            case "SHA-256" -> new SHA256Digest();
            case "SHA-384" -> new SHA384Digest();
            default -> new SHA512Digest();
        };
    }
}
