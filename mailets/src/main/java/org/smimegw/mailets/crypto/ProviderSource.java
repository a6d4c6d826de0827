package org.smimegw.mailets.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Cipher;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Where a primitive's implementation comes from: the JDK's providers, Bouncy Castle, or ACCP (AWS-LC). */
enum ProviderSource {
    /** The providers the JDK registers (SunRsaSign, SunJCE, SUN, SunEC): the JCA's default selection. */
    JDK("the JDK's"),
    BC("Bouncy Castle"),
    /** The Amazon Corretto Crypto Provider; its native library exists for linux-x86_64 and linux-aarch64 only. */
    ACCP("ACCP");

    private final String displayName;

    ProviderSource(String displayName) {
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }

    /** The source a {@code crypto.providers} value other than auto prefers. */
    static ProviderSource preferredBy(CryptoProviders choice) {
        return switch (choice) {
            case JDK, AUTO -> JDK;
            case BC -> BC;
            case ACCP -> ACCP;
        };
    }

    /**
     * The Amazon Corretto Crypto Provider as an object to hand to the JCA, never registered JVM-wide; empty with
     * the reason when its class or its native library cannot be loaded here (another platform, a missing jar, a
     * failed self-test).
     */
    static Loaded loadCorretto() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                return new Loaded(Optional.empty(), "ACCP not loadable on " + platform() + ": " + error);
            }
            accp.assertHealthy();
            return new Loaded(Optional.of(accp), "ACCP " + accp.getVersionStr());
        } catch (LinkageError | RuntimeException e) {
            return new Loaded(Optional.empty(), "ACCP not loadable on " + platform() + ": " + e);
        }
    }

    record Loaded(Optional<Provider> provider, String description) {
    }

    static Provider newBouncyCastle() {
        return new BouncyCastleProvider();
    }

    /**
     * Whether {@code provider} has every {@code Type.Algorithm} service (a cipher transformation as
     * {@link Cipher#getInstance} finds it, from an algorithm with modes and paddings).
     */
    static boolean hasAll(Provider provider, Iterable<String> services) {
        for (String s : services) {
            if (!has(provider, s)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the JDK's registered providers have every service (the JCA's default selection). */
    static boolean jdkHasAll(Iterable<String> services) {
        for (String s : services) {
            if (Arrays.stream(Security.getProviders()).noneMatch(p -> has(p, s))) {
                return false;
            }
        }
        return true;
    }

    private static boolean has(Provider provider, String service) {
        int dot = service.indexOf('.');
        String type = service.substring(0, dot);
        String algorithm = service.substring(dot + 1);
        if (type.equals("Cipher")) {
            try {
                Cipher.getInstance(algorithm, provider);
                return true;
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
        return provider.getService(type, algorithm) != null;
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }
}
