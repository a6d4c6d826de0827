package org.smimegw.certstore.pkcs11;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.security.auth.login.FailedLoginException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.KeySelection;
import org.smimegw.certstore.KeySource;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.SecretReferences;

/**
 * Users' private keys in a PKCS#11 token (smart card, HSM, SoftHSM2), reached through the JDK's SunPKCS11 provider.
 * The provider is configured for this token only and kept in this object; it is not added to the JVM's provider
 * list. The token's private-key entries are indexed by the e-mail addresses in their certificates (SAN rfc822Name,
 * subject emailAddress); every {@link UserKey} it returns has {@link KeyStorage#HARDWARE}.
 *
 * <p>The private keys never leave the token: CMS code must do private-key operations with {@link #provider()}
 * (Bouncy Castle: {@code JcaContentSignerBuilder.setProvider(provider())} for signing,
 * {@code JceKeyTransEnvelopedRecipient.setProvider(provider())} with {@code setContentProvider(<software provider>)}
 * and {@code setMustProduceEncodableUnwrappedKey(true)} for decryption).
 *
 * <p>The key list is read at construction, on {@link #reload()} and every {@code reloadIntervalSeconds}; a failed
 * periodic reload keeps the previous list and logs why. Safe for concurrent use.
 */
public final class Pkcs11KeySource implements KeySource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11KeySource.class);

    /**
     * Keys generated through this provider are sensitive and cannot be extracted from the token; EC keys may also
     * derive (ECDH, for decrypting mail sent to an EC certificate, see {@link TokenKeyAgreeRecipient}), and the
     * ECDH shared secret they derive (a generic secret) can be read, since the CMS KDF runs in software.
     */
    private static final String GENERATE_ATTRIBUTES = """
            attributes(generate, CKO_PRIVATE_KEY, *) = {
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
            }
            attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {
              CKA_DERIVE = true
            }
            attributes(generate, CKO_SECRET_KEY, CKK_GENERIC_SECRET) = {
              CKA_SENSITIVE = false
              CKA_EXTRACTABLE = true
            }
            """;

    private final Pkcs11Config config;
    private final SecretReferences secrets;
    private final Clock clock;
    private final Provider provider;
    private final String tokenName;
    private final Object reloadLock = new Object();
    private final ScheduledExecutorService reloader;
    private volatile Map<String, List<UserKey>> index = Map.of();
    private volatile KeyStore keyStore;
    private volatile boolean closed;

    /** Reads the PIN reference from the process environment or a file; uses the system clock. */
    public Pkcs11KeySource(Pkcs11Config config) {
        this(config, new SecretReferences(), Clock.systemUTC());
    }

    /**
     * Configures the provider, logs in and reads the key list.
     *
     * @throws TokenException when the module or the token is not found, the PIN is wrong or the token fails
     * @throws IllegalArgumentException when the PIN reference is missing or does not resolve
     */
    public Pkcs11KeySource(Pkcs11Config config, SecretReferences secrets, Clock clock) {
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        if (config.library() == null) {
            throw new IllegalArgumentException("certstore.pkcs11.library is not set");
        }
        if (config.pin() == null) {
            throw new IllegalArgumentException("certstore.pkcs11.pin is not set (env:NAME or file:PATH)");
        }
        Path library = Path.of(config.library());
        if (!Files.isRegularFile(library)) {
            throw new TokenException("PKCS#11 module not found: " + library + " (certstore.pkcs11.library)");
        }
        this.tokenName = config.tokenLabel() != null ? "\"" + config.tokenLabel() + "\""
                : config.name() + " (" + config.tokenDescription() + ")";
        this.provider = configureProvider(config);
        reloadNow(true);
        int interval = config.reloadIntervalSeconds();
        if (interval > 0) {
            reloader = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "pkcs11-reload-" + config.name());
                t.setDaemon(true);
                return t;
            });
            reloader.scheduleWithFixedDelay(this::periodicReload, interval, interval, TimeUnit.SECONDS);
        } else {
            reloader = null;
        }
    }

    /** The provider bound to this token; use it for every operation with the private keys this source returns. */
    public Provider provider() {
        return provider;
    }

    /** The configuration this source was built from. */
    public Pkcs11Config config() {
        return config;
    }

    /** {@code pkcs11:<name>}. */
    @Override
    public String name() {
        return "pkcs11:" + config.name();
    }

    /** Every key in the token for {@code address} (case-insensitive), whatever its key usage and validity. */
    @Override
    public List<UserKey> keys(String address) {
        if (address == null) {
            return List.of();
        }
        return index.getOrDefault(address.trim().toLowerCase(Locale.ROOT), List.of());
    }

    /**
     * The newest currently valid key whose certificate allows signing (digitalSignature or nonRepudiation) for
     * {@code address}; empty when none. Same rules as {@link KeySelection#signingKey}.
     */
    public Optional<UserKey> signingKey(String address) {
        return KeySelection.signingKey(keys(address), clock.instant());
    }

    /**
     * Every key whose certificate allows decryption (keyEncipherment or keyAgreement) for {@code address}:
     * currently valid ones first, newest first; expired ones are kept for old mail. Same rules as
     * {@link KeySelection#decryptionKeys}.
     */
    public List<UserKey> decryptionKeys(String address) {
        return KeySelection.decryptionKeys(keys(address), clock.instant());
    }

    /** Addresses with at least one key in the token, sorted. */
    public List<String> addresses() {
        return index.keySet().stream().sorted().toList();
    }

    /**
     * Re-reads the token's key list now (after keys were enrolled or removed).
     *
     * @throws TokenException when the token cannot be read; the previous list stays in use
     */
    public void reload() {
        reloadNow(false);
    }

    @Override
    public void close() {
        closed = true;
        if (reloader != null) {
            reloader.shutdownNow();
        }
        index = Map.of();
        // No logout: PKCS#11 login state belongs to the whole process, so logging out here would log out every
        // other user of the same token in this JVM (another source, an enrollment, a CMS operation in flight).
    }

    /** The logged-in key store of the token, for {@link TokenEnroller}. */
    KeyStore keyStore() {
        KeyStore ks = keyStore;
        if (ks == null || closed) {
            throw new IllegalStateException("the PKCS#11 key source for " + tokenName + " is closed");
        }
        return ks;
    }

    String tokenName() {
        return tokenName;
    }

    private void periodicReload() {
        try {
            reloadNow(false);
        } catch (RuntimeException e) {
            LOG.warn("reloading the keys of PKCS#11 {} failed, keeping the previous list: {}", tokenName,
                    e.getMessage());
        }
    }

    private void reloadNow(boolean first) {
        synchronized (reloadLock) {
            if (closed) {
                throw new IllegalStateException("the PKCS#11 key source for " + tokenName + " is closed");
            }
            KeyStore ks = login();
            Map<String, List<UserKey>> fresh = readEntries(ks);
            keyStore = ks;
            index = fresh;
            LOG.info("{} PKCS#11 {}: {} key(s) for {} address(es)", first ? "opened" : "reloaded", tokenName,
                    fresh.values().stream().flatMap(List::stream).distinct().count(), fresh.size());
        }
    }

    private Provider configureProvider(Pkcs11Config config) {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new TokenException("this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        String slotLine;
        if (config.tokenLabel() != null) {
            slotLine = "slot = " + TokenLabels.slotOf(config.library(), config.tokenLabel());
        } else if (config.slot() != null) {
            slotLine = "slot = " + config.slot();
        } else {
            slotLine = "slotListIndex = " + config.slotListIndex();
        }
        String text = "--name = " + config.name() + "\n"
                + "library = \"" + config.library().replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n"
                + slotLine + "\n"
                + GENERATE_ATTRIBUTES;
        try {
            return base.configure(text);
        } catch (ProviderException | java.security.InvalidParameterException | IllegalStateException e) {
            throw new TokenException(startupMessage(config, e), e);
        } catch (RuntimeException e) {
            throw new TokenException("cannot use PKCS#11 module " + config.library() + ": " + rootMessage(e), e);
        }
    }

    private String startupMessage(Pkcs11Config config, RuntimeException e) {
        String root = rootMessage(e);
        if (root.contains("CKR_SLOT_ID_INVALID") || root.contains("slotListIndex is")) {
            return "token not found: no " + config.tokenDescription() + " in PKCS#11 module " + config.library()
                    + " (" + root + ")";
        }
        if (root.contains("CKR_TOKEN_NOT_PRESENT")) {
            return "token not found: the " + config.tokenDescription() + " of PKCS#11 module " + config.library()
                    + " holds no token";
        }
        return "cannot use PKCS#11 module " + config.library() + " (" + config.tokenDescription() + "): " + root;
    }

    private KeyStore login() {
        char[] pin = secrets.resolve("certstore.pkcs11.pin", config.pin());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return ks;
        } catch (IOException e) {
            if (hasCause(e, FailedLoginException.class) || rootMessage(e).contains("CKR_PIN_INCORRECT")) {
                throw new TokenException("wrong PIN for token " + tokenName + " (certstore.pkcs11.pin)", e);
            }
            if (rootMessage(e).contains("CKR_PIN_LOCKED")) {
                throw new TokenException("the PIN of token " + tokenName + " is locked", e);
            }
            throw new TokenException("cannot log in to token " + tokenName + ": " + rootMessage(e), e);
        } catch (GeneralSecurityException | ProviderException e) {
            String root = rootMessage(e);
            if (root.contains("CKR_TOKEN_NOT_PRESENT") || root.contains("Token has been removed")
                    || root.contains("no such algorithm")) {
                throw new TokenException("token not found: " + tokenName + " is not present in PKCS#11 module "
                        + config.library(), e);
            }
            throw new TokenException("cannot open token " + tokenName + ": " + root, e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private Map<String, List<UserKey>> readEntries(KeyStore ks) {
        Map<String, List<UserKey>> result = new LinkedHashMap<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                UserKey entry = entry(ks, alias);
                if (entry == null) {
                    continue;
                }
                for (String address : Certificates.emailAddresses(entry.certificate())) {
                    result.computeIfAbsent(address, a -> new ArrayList<>()).add(entry);
                }
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw new TokenException("cannot read the keys of token " + tokenName + ": " + rootMessage(e), e);
        }
        result.replaceAll((address, list) -> List.copyOf(list));
        return Map.copyOf(result);
    }

    private UserKey entry(KeyStore ks, String alias) throws GeneralSecurityException {
        Key key = ks.getKey(alias, null);
        Certificate[] chain = ks.getCertificateChain(alias);
        if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0
                || !(chain[0] instanceof X509Certificate certificate)) {
            LOG.warn("token {}: key entry {} has no X.509 certificate, ignored", tokenName, alias);
            return null;
        }
        if (Certificates.emailAddresses(certificate).isEmpty()) {
            LOG.warn("token {}: certificate {} names no e-mail address, ignored", tokenName, describe(certificate));
            return null;
        }
        List<X509Certificate> rest = new ArrayList<>();
        for (int i = 1; i < chain.length; i++) {
            if (chain[i] instanceof X509Certificate c) {
                rest.add(c);
            }
        }
        return new UserKey(privateKey, certificate, rest, KeyStorage.HARDWARE, provider);
    }

    static String describe(X509Certificate certificate) {
        return "subject=\"" + Certificates.subject(certificate) + "\" serial="
                + certificate.getSerialNumber().toString(16) + " sha256=" + Certificates.sha256(certificate);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                if (!sb.isEmpty()) {
                    sb.append(": ");
                }
                sb.append(m);
            } else if (m == null && c.getCause() == null) {
                if (!sb.isEmpty()) {
                    sb.append(": ");
                }
                sb.append(c.getClass().getSimpleName());
            }
        }
        return sb.toString();
    }
}
