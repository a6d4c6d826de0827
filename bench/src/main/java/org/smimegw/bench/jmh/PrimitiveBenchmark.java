package org.smimegw.bench.jmh;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each primitive the gateway chooses a provider for (org.smimegw.mailets.crypto.Primitive), computed directly with
 * the JCA under each provider: the measurement behind {@code crypto.providers: auto}'s table (docs/perf.md).
 * Run: {@code bench/run.sh jmh PrimitiveBenchmark}. A provider without the algorithm fails that benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PrimitiveBenchmark {

    @Param({"jdk", "bc", "accp"})
    public String provider;

    /** Bytes digested or encrypted (the 10 KB message of the targets). */
    @Param({"10240"})
    public int size;

    private Provider p;
    private KeyPair rsa;
    private KeyPair ec;
    private byte[] data;
    private byte[] rsaSignature;
    private SecretKeySpec aes;
    private final byte[] iv = new byte[16];
    private final SecureRandom random = new SecureRandom();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        p = switch (provider) {
            case "jdk" -> null;
            case "bc" -> new BouncyCastleProvider();
            case "accp" -> AmazonCorrettoCryptoProvider.INSTANCE;
            default -> throw new IllegalArgumentException(provider);
        };
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        rsa = rsaGen.generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGen.generateKeyPair();
        data = new byte[size];
        random.nextBytes(data);
        aes = new SecretKeySpec(new byte[32], "AES");
        rsaSignature = rsaSign();
    }

    private Signature signature(String name) throws Exception {
        return p == null ? Signature.getInstance(name) : Signature.getInstance(name, p);
    }

    private Cipher cipher(String name) throws Exception {
        return p == null ? Cipher.getInstance(name) : Cipher.getInstance(name, p);
    }

    /** RSA-2048 private-key operation (sign; decrypt is the same operation). */
    @Benchmark
    public byte[] rsaSign() throws Exception {
        Signature s = signature("SHA256withRSA");
        s.initSign(rsa.getPrivate());
        s.update(data, 0, 64);
        return s.sign();
    }

    /** RSA-2048 public-key operation (verify; key transport encryption is the same operation). */
    @Benchmark
    public boolean rsaVerify() throws Exception {
        Signature s = signature("SHA256withRSA");
        s.initVerify(rsa.getPublic());
        s.update(data, 0, 64);
        return s.verify(rsaSignature);
    }

    @Benchmark
    public byte[] ecdsaSign() throws Exception {
        Signature s = signature("SHA256withECDSA");
        s.initSign(ec.getPrivate());
        s.update(data, 0, 64);
        return s.sign();
    }

    @Benchmark
    public byte[] sha256() throws Exception {
        MessageDigest d = p == null ? MessageDigest.getInstance("SHA-256") : MessageDigest.getInstance("SHA-256", p);
        return d.digest(data);
    }

    @Benchmark
    public byte[] aes256Cbc() throws Exception {
        Cipher c = cipher("AES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(iv));
        return c.doFinal(data);
    }

    @Benchmark
    public byte[] aes256Gcm() throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce); // a fresh nonce per encryption, as the JDK insists
        Cipher c = cipher("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
        return c.doFinal(data);
    }
}
