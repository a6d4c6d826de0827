package org.smimegw.certstore.pkcs11;

import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;

/**
 * Decrypts CMS EnvelopedData / AuthEnvelopedData sent to an RSA certificate whose private key is in a PKCS#11
 * token, for both key transports: RSA PKCS#1 v1.5 is done by the token's provider as usual; RSAES-OAEP (RFC 8017,
 * RFC 3560), which the JDK's PKCS#11 provider does not offer, is the token's raw RSA operation ({@link TokenRsaEngine},
 * {@code CKM_RSA_X_509}) with Bouncy Castle's {@link OAEPEncoding} decoding in software. The content-encryption key
 * then decrypts the content in software ({@code contentProvider}, e.g. Bouncy Castle).
 *
 * <pre>{@code
 * byte[] clear = recipientInfo.getContent(
 *         new TokenKeyTransRecipient(key.privateKey(), key.certificate(), source.provider(), bc));
 * }</pre>
 */
public final class TokenKeyTransRecipient extends JceKeyTransEnvelopedRecipient {

    private final PrivateKey tokenKey;
    private final Provider tokenProvider;
    private final int modulusBits;

    /**
     * @param tokenKey        the RSA private key in the token ({@link org.smimegw.certstore.UserKey#privateKey()})
     * @param certificate     its certificate (gives the modulus length)
     * @param tokenProvider   {@link Pkcs11KeySource#provider()}
     * @param contentProvider software provider for the content decryption (e.g. Bouncy Castle)
     */
    public TokenKeyTransRecipient(PrivateKey tokenKey, X509Certificate certificate, Provider tokenProvider,
                                  Provider contentProvider) {
        super(Objects.requireNonNull(tokenKey, "tokenKey"));
        if (!(certificate.getPublicKey() instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("not an RSA certificate: " + certificate.getSubjectX500Principal());
        }
        this.tokenKey = tokenKey;
        this.tokenProvider = Objects.requireNonNull(tokenProvider, "tokenProvider");
        this.modulusBits = rsa.getModulus().bitLength();
        setProvider(tokenProvider);
        setContentProvider(Objects.requireNonNull(contentProvider, "contentProvider"));
        setMustProduceEncodableUnwrappedKey(true);
    }

    @Override
    protected Key extractSecretKey(AlgorithmIdentifier keyEncryptionAlgorithm,
                                   AlgorithmIdentifier contentEncryptionAlgorithm, byte[] encryptedContentKey)
            throws CMSException {
        if (!PKCSObjectIdentifiers.id_RSAES_OAEP.equals(keyEncryptionAlgorithm.getAlgorithm())) {
            return super.extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentKey);
        }
        byte[] contentKey = null;
        try {
            contentKey = oaep(keyEncryptionAlgorithm).processBlock(encryptedContentKey, 0, encryptedContentKey.length);
            return new SecretKeySpec(contentKey, keyAlgorithm(contentEncryptionAlgorithm));
        } catch (InvalidCipherTextException e) {
            throw new CMSException("RSA-OAEP with the token key: the content key does not decode (" + e.getMessage()
                    + ")", e);
        } catch (RuntimeException e) {
            throw new CMSException("RSA-OAEP with the token key failed: " + e.getMessage(), e);
        } finally {
            if (contentKey != null) {
                Arrays.fill(contentKey, (byte) 0);
            }
        }
    }

    /** OAEP decoding (hash, MGF1 hash and label from the parameters; SHA-1 and an empty label when absent). */
    private OAEPEncoding oaep(AlgorithmIdentifier keyEncryptionAlgorithm) throws CMSException {
        RSAESOAEPparams params = keyEncryptionAlgorithm.getParameters() == null ? new RSAESOAEPparams()
                : RSAESOAEPparams.getInstance(keyEncryptionAlgorithm.getParameters());
        if (!PKCSObjectIdentifiers.id_mgf1.equals(params.getMaskGenAlgorithm().getAlgorithm())) {
            throw new CMSException("RSA-OAEP mask generation " + params.getMaskGenAlgorithm().getAlgorithm()
                    + " is not supported (only MGF1)");
        }
        if (!PKCSObjectIdentifiers.id_pSpecified.equals(params.getPSourceAlgorithm().getAlgorithm())) {
            throw new CMSException("RSA-OAEP label source " + params.getPSourceAlgorithm().getAlgorithm()
                    + " is not supported (only pSpecified)");
        }
        byte[] label = ASN1OctetString.getInstance(params.getPSourceAlgorithm().getParameters()).getOctets();
        try {
            OAEPEncoding oaep = new OAEPEncoding(new TokenRsaEngine(tokenKey, tokenProvider, modulusBits),
                    BcDefaultDigestProvider.INSTANCE.get(params.getHashAlgorithm()),
                    BcDefaultDigestProvider.INSTANCE.get(AlgorithmIdentifier.getInstance(
                            params.getMaskGenAlgorithm().getParameters())), label);
            oaep.init(false, null);
            return oaep;
        } catch (OperatorCreationException e) {
            throw new CMSException("RSA-OAEP digest not supported: " + e.getMessage(), e);
        }
    }

    /** The JCA name of the content key (the software content provider does not check it beyond AES/DESede). */
    private static String keyAlgorithm(AlgorithmIdentifier contentEncryptionAlgorithm) {
        String oid = contentEncryptionAlgorithm.getAlgorithm().getId();
        if (oid.startsWith(NISTObjectIdentifiers.aes.getId() + ".")) {
            return "AES";
        }
        if (PKCSObjectIdentifiers.des_EDE3_CBC.getId().equals(oid)) {
            return "DESede";
        }
        return oid;
    }
}
