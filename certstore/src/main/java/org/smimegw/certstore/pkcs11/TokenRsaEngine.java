package org.smimegw.certstore.pkcs11;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Arrays;

import javax.crypto.Cipher;

import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.DataLengthException;

/**
 * The raw RSA private-key operation ({@code m = c^d mod n}) done by a PKCS#11 token: {@code RSA/ECB/NoPadding} of
 * the token's provider (SunPKCS11 maps it to {@code CKM_RSA_X_509}), as a Bouncy Castle {@link AsymmetricBlockCipher}
 * engine, so that Bouncy Castle's padding schemes (e.g. {@code OAEPEncoding}) run in software around the token's key.
 * Decryption only; behaves like Bouncy Castle's own RSA engine (input: the modulus length, output: one byte less,
 * leading zero removed). Not thread-safe (one per operation).
 */
final class TokenRsaEngine implements AsymmetricBlockCipher {

    private final PrivateKey tokenKey;
    private final Provider tokenProvider;
    private final int modulusBytes;

    /**
     * @param tokenKey      the RSA private key in the token
     * @param tokenProvider the token's provider ({@link Pkcs11KeySource#provider()})
     * @param modulusBits   the key's modulus length (from its certificate)
     */
    TokenRsaEngine(PrivateKey tokenKey, Provider tokenProvider, int modulusBits) {
        this.tokenKey = tokenKey;
        this.tokenProvider = tokenProvider;
        this.modulusBytes = (modulusBits + 7) / 8;
    }

    /** The key is the token's: parameters are not used. Only decryption is offered. */
    @Override
    public void init(boolean forEncryption, CipherParameters param) {
        if (forEncryption) {
            throw new IllegalArgumentException("a token RSA engine only decrypts");
        }
    }

    @Override
    public int getInputBlockSize() {
        return modulusBytes;
    }

    @Override
    public int getOutputBlockSize() {
        return modulusBytes - 1;
    }

    @Override
    public byte[] processBlock(byte[] in, int inOff, int inLen) {
        if (inLen > modulusBytes) {
            throw new DataLengthException("input too large for RSA cipher");
        }
        byte[] out;
        try {
            Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding", tokenProvider);
            raw.init(Cipher.DECRYPT_MODE, tokenKey);
            out = raw.doFinal(in, inOff, inLen);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("raw RSA with the token key failed: " + e.getMessage(), e);
        }
        if (out.length == modulusBytes && out[0] == 0) {
            byte[] shorter = Arrays.copyOfRange(out, 1, out.length);
            Arrays.fill(out, (byte) 0);
            return shorter;  // a padding decoder right-aligns what is shorter than the output block
        }
        return out;
    }
}
