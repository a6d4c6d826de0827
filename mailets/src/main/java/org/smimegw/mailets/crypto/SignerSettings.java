package org.smimegw.mailets.crypto;

import java.util.List;

/**
 * How {@link SmimeSigner} signs.
 *
 * @param mode                      clear-signed multipart/signed or opaque signed-data
 * @param digest                    message digest
 * @param rsaScheme                 PKCS#1 v1.5 or PSS for RSA keys (EC keys use ECDSA)
 * @param certificates              which certificates go into the signature
 * @param capabilities              content-encryption algorithms announced in SMIMECapabilities, most preferred first;
 *                                  empty to leave the attribute out
 * @param encryptionKeyPreference   whether to add SMIMEEncryptionKeyPreference naming the signer's certificate
 */
public record SignerSettings(SignMode mode, DigestAlgorithm digest, SignatureScheme rsaScheme,
                             CertificateInclusion certificates, List<EncryptionAlgorithm> capabilities,
                             boolean encryptionKeyPreference) {
    public SignerSettings {
        capabilities = List.copyOf(capabilities);
    }

    /** Clear-signed, SHA-256, PKCS#1 v1.5, chain without root, all our algorithms announced, key preference on. */
    public static SignerSettings defaults() {
        return new SignerSettings(SignMode.CLEAR, DigestAlgorithm.SHA256, SignatureScheme.PKCS1,
                CertificateInclusion.CHAIN_WITHOUT_ROOT, defaultCapabilities(), true);
    }

    public static List<EncryptionAlgorithm> defaultCapabilities() {
        return List.of(EncryptionAlgorithm.AES256GCM, EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES192,
                EncryptionAlgorithm.AES128GCM, EncryptionAlgorithm.AES128);
    }

    public SignerSettings withMode(SignMode newMode) {
        return new SignerSettings(newMode, digest, rsaScheme, certificates, capabilities, encryptionKeyPreference);
    }

    public SignerSettings withDigest(DigestAlgorithm newDigest) {
        return new SignerSettings(mode, newDigest, rsaScheme, certificates, capabilities, encryptionKeyPreference);
    }

    public SignerSettings withRsaScheme(SignatureScheme scheme) {
        return new SignerSettings(mode, digest, scheme, certificates, capabilities, encryptionKeyPreference);
    }

    public SignerSettings withCertificates(CertificateInclusion inclusion) {
        return new SignerSettings(mode, digest, rsaScheme, inclusion, capabilities, encryptionKeyPreference);
    }
}
