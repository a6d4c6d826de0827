package org.smimegw.mailets.crypto;

/**
 * How {@link SmimeEncryptor} addresses recipients.
 *
 * @param keyTransport       RSA key transport: PKCS#1 v1.5 or OAEP-SHA-256
 * @param recipientIdentifier issuer and serial number, or Subject Key Identifier (Exchange's OWAUseKeyIdentifier;
 *                           certificates without an SKI fall back to issuer and serial)
 */
public record EncryptorSettings(KeyTransport keyTransport, RecipientIdentifierType recipientIdentifier) {

    public static EncryptorSettings defaults() {
        return new EncryptorSettings(KeyTransport.RSA_PKCS1, RecipientIdentifierType.ISSUER_AND_SERIAL);
    }
}
