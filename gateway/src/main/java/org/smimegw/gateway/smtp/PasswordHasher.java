package org.smimegw.gateway.smtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for SMTP AUTH users: PBKDF2-HMAC-SHA256 from the JDK, stored as
 * {@code pbkdf2-sha256:<iterations>:<base64 salt>:<base64 hash>} (16-byte salt, 32-byte hash).
 */
public final class PasswordHasher {
    public static final String PREFIX = "pbkdf2-sha256";
    public static final int DEFAULT_ITERATIONS = 310_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    public PasswordHasher() {
        this(DEFAULT_ITERATIONS);
    }

    public PasswordHasher(int iterations) {
        if (iterations < 1000) {
            throw new IllegalArgumentException("PBKDF2 iterations must be at least 1000, is " + iterations);
        }
        this.iterations = iterations;
    }

    /** A new salted hash of {@code password}. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code encoded}; false (never an exception) for a malformed hash. */
    public boolean verify(char[] password, String encoded) {
        if (!isWellFormed(encoded)) {
            return false;
        }
        String[] parts = encoded.split(":");
        int iter = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = pbkdf2(password, salt, iter, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Whether {@code encoded} has the stored-hash format. */
    public static boolean isWellFormed(String encoded) {
        if (encoded == null) {
            return false;
        }
        String[] parts = encoded.split(":");
        if (parts.length != 4 || !parts[0].equals(PREFIX) || !parts[1].matches("[1-9][0-9]{0,8}")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(parts[2]).length >= 8 && Base64.getDecoder().decode(parts[3]).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 not available: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }
}
