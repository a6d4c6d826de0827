package org.smimegw.mailets.crypto;

import java.io.OutputStream;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RawContentVerifier;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The one place that decides which JCA provider computes each {@link Primitive}: the JDK's, Bouncy Castle's or the
 * Amazon Corretto Crypto Provider's (AWS-LC), as {@code crypto.providers} in gateway.yaml says ({@link
 * CryptoProviders}). Bouncy Castle still builds and parses every CMS structure; only the primitives move.
 * <p>
 * A provider is chosen for a primitive only where it has the JCA services the primitive needs and, for content
 * encryption, where Bouncy Castle's CMS layer can use it (ACCP has no AES AlgorithmParameters, so CMS AES-CBC
 * encryption cannot use it; AES-GCM under the CMS object identifiers only works with Bouncy Castle). Otherwise the
 * choice falls back to the JDK's, then Bouncy Castle's. ACCP is never registered JVM-wide
 * ({@link java.security.Security#insertProviderAt}): it is handed to the JCA calls made here, so TLS, LDAP and
 * every other library keep the JDK's providers. An empty {@link Optional} means the JCA's default selection (the
 * JDK's providers, or a token's provider for a PKCS#11 key). Immutable apart from a memo of the keys Bouncy Castle's
 * verifier accepts, and thread-safe.
 */
public final class PrimitiveProviders {

    private static final List<ASN1ObjectIdentifier> SHA2 = List.of(NISTObjectIdentifiers.id_sha256,
            NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    /** The signature algorithms verified with the provider chosen for RSA or ECDSA; all others with Bouncy Castle's. */
    private static final List<ASN1ObjectIdentifier> FAST_SIGNATURES = List.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512);

    private final CryptoProviders choice;
    private final Provider bouncyCastle;
    private final Optional<Provider> corretto;
    private final String correttoStatus;
    private final Map<Primitive, ProviderSource> chosen = new EnumMap<>(Primitive.class);
    private final DigestCalculatorProvider digestCalculators;
    /** {@link #signing} per algorithm name: asking the JCA's provider list costs more than a signature's setup. */
    private final Map<String, Optional<Provider>> signingProviders = new ConcurrentHashMap<>();
    /** Software private keys in each provider's own form, for the signer and the decryptor alike. */
    private final Map<Provider, ProviderKeys> providerKeys = new ConcurrentHashMap<>();
    /**
     * Public keys (with a signature algorithm) for which Bouncy Castle's verifier, the second opinion, could be made:
     * for these it is made only when the chosen provider says no. Bounded by {@link #MAX_ACCEPTED_KEYS}.
     */
    private final Set<List<Object>> fallbackAccepts = ConcurrentHashMap.newKeySet();
    private static final int MAX_ACCEPTED_KEYS = 1_000;
    private final Map<Provider, PlainSignatureVerifiers> plainVerifiers = new ConcurrentHashMap<>();
    /** Read-only after construction, so shared by every signer verifier. */
    private final DefaultCMSSignatureAlgorithmNameGenerator signatureNames = new DefaultCMSSignatureAlgorithmNameGenerator();
    private final DefaultSignatureAlgorithmIdentifierFinder signatureIdentifiers = new DefaultSignatureAlgorithmIdentifierFinder();

    /** Chooses per primitive from what is installed, as {@code choice} says. */
    public static PrimitiveProviders select(CryptoProviders choice) {
        ProviderSource.Loaded accp = choice == CryptoProviders.AUTO || choice == CryptoProviders.ACCP
                ? ProviderSource.loadCorretto()
                : new ProviderSource.Loaded(Optional.empty(), "ACCP not used (crypto.providers: " + choice.configName() + ")");
        return new PrimitiveProviders(choice, ProviderSource.newBouncyCastle(), accp);
    }

    /** {@code crypto.providers: auto}. */
    public PrimitiveProviders() {
        this(CryptoProviders.AUTO, ProviderSource.newBouncyCastle(), ProviderSource.loadCorretto());
    }

    private PrimitiveProviders(CryptoProviders choice, Provider bouncyCastle, ProviderSource.Loaded accp) {
        this.choice = choice;
        this.bouncyCastle = bouncyCastle;
        this.corretto = accp.provider();
        this.correttoStatus = accp.description();
        for (Primitive p : Primitive.values()) {
            chosen.put(p, choose(p));
        }
        try {
            JcaDigestCalculatorProviderBuilder sha2 = new JcaDigestCalculatorProviderBuilder();
            provider(Primitive.SHA2).ifPresent(sha2::setProvider);
            DigestCalculatorProvider fast = sha2.build();
            DigestCalculatorProvider any = new JcaDigestCalculatorProviderBuilder().setProvider(bouncyCastle).build();
            // SHA-2 with the chosen provider; legacy and other digests (MD5, SHA-1, SHA-224, SHA-3) with Bouncy Castle's
            this.digestCalculators = new BlockDigestCalculators(
                    id -> SHA2.contains(id.getAlgorithm()) ? fast.get(id) : any.get(id));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest provider", e);
        }
    }

    public CryptoProviders choice() {
        return choice;
    }

    /** Bouncy Castle, for what only it has (ECDH with a KDF, PSS under BC names, legacy algorithms). */
    public Provider bouncyCastle() {
        return bouncyCastle;
    }

    /** The provider for {@code primitive}; empty: the JCA's default (the JDK's). */
    public Optional<Provider> provider(Primitive primitive) {
        return switch (chosen.get(primitive)) {
            case JDK -> Optional.empty();
            case BC -> Optional.of(bouncyCastle);
            case ACCP -> corretto;
        };
    }

    /**
     * The provider to sign with under a JCA signature algorithm name such as {@code SHA256withRSA}: the one chosen
     * for RSA or ECDSA where it has the name, else the JDK's where they have it, else Bouncy Castle's (e.g.
     * {@code SHA256withRSAandMGF1}, {@code SHA3-256withRSA} are names only Bouncy Castle has).
     */
    /**
     * A software private key in {@code provider}'s own form, converted once per key object while the certificate
     * store holds it ({@link ProviderKeys}): a provider handed another provider's key converts it at every
     * {@code initSign} or {@code Cipher.init} (ACCP: a third of an RSA-2048 private-key operation).
     */
    PrivateKey inOwnForm(PrivateKey key, Provider provider) {
        return keys(provider).of(key);
    }

    private ProviderKeys keys(Provider provider) {
        return providerKeys.computeIfAbsent(provider, ProviderKeys::new);
    }

    public Optional<Provider> signing(String algorithm) {
        return signingProviders.computeIfAbsent(algorithm, this::chooseSigning);
    }

    private Optional<Provider> chooseSigning(String algorithm) {
        String name = algorithm.toUpperCase(Locale.ROOT);
        Optional<Provider> chosenProvider = name.endsWith("WITHRSA") ? provider(Primitive.RSA_PRIVATE)
                : name.endsWith("WITHECDSA") ? provider(Primitive.ECDSA) : Optional.of(bouncyCastle);
        List<String> service = List.of("Signature." + algorithm);
        if (chosenProvider.map(p -> ProviderSource.hasAll(p, service)).orElse(ProviderSource.jdkHasAll(service))) {
            return chosenProvider;
        }
        return ProviderSource.jdkHasAll(service) ? Optional.empty() : Optional.of(bouncyCastle);
    }

    /**
     * The provider for RSA key transport, encrypting ({@code privateKey} false) or decrypting: the one chosen for
     * RSA public or private-key operations, except that OAEP stays with the JDK's where ACCP was chosen (Bouncy
     * Castle's CMS layer asks for OAEP by object identifier, which ACCP does not know, and passes no OAEP
     * parameters, for which ACCP's default is SHA-1).
     */
    public Optional<Provider> keyTransport(boolean privateKey, boolean oaep) {
        Primitive primitive = privateKey ? Primitive.RSA_PRIVATE : Primitive.RSA_PUBLIC;
        return oaep && chosen.get(primitive) == ProviderSource.ACCP ? Optional.empty() : provider(primitive);
    }

    /** The provider for content encryption with {@code algorithm} (AES-CBC or AES-GCM). */
    public Optional<Provider> contentEncryption(EncryptionAlgorithm algorithm) {
        return provider(algorithm.authenticated() ? Primitive.AES_GCM : Primitive.AES_CBC);
    }

    /**
     * The provider to decrypt EnvelopedData content encrypted with {@code algorithm}: the one chosen for AES-CBC where
     * it is AES-CBC (the JDK's under {@code auto}: AES-NI, where Bouncy Castle's AES is table-driven Java), Bouncy
     * Castle's for every other algorithm (Camellia, SEED, 3DES, RC2 and more, which the JDK lacks). Empty: the JCA's
     * default (the JDK's).
     */
    public Optional<Provider> contentDecryption(AlgorithmIdentifier algorithm) {
        List<EncryptionAlgorithm> known = algorithm == null ? List.of()
                : EncryptionAlgorithm.byOid(algorithm.getAlgorithm().getId());
        if (known.size() == 1 && known.get(0).producible() && !known.get(0).authenticated()) {
            return provider(Primitive.AES_CBC);
        }
        return Optional.of(bouncyCastle);
    }

    /** SHA-2 with the chosen provider, every other digest with Bouncy Castle's. */
    public DigestCalculatorProvider digestCalculators() {
        return digestCalculators;
    }

    /**
     * Verifies a signer info's signature with {@code key}: RSA PKCS#1 v1.5 and ECDSA with the chosen provider,
     * anything the chosen one cannot (RSASSA-PSS under Bouncy Castle's names, legacy digests) with Bouncy Castle's.
     */
    public SignerInformationVerifier signerVerifier(PublicKey key) throws OperatorCreationException {
        Optional<Provider> chosenProvider = provider(key.getAlgorithm().startsWith("EC") ? Primitive.ECDSA : Primitive.RSA_PUBLIC);
        ContentVerifierProvider fallback = new JcaContentVerifierProviderBuilder().setProvider(bouncyCastle).build(key);
        ContentVerifierProvider fast = chosenProvider.isPresent() ? verifiers(chosenProvider.get(), key)
                : new JcaContentVerifierProviderBuilder().build(key);
        KeyVerifierProvider either = algorithm -> {
            if (!FAST_SIGNATURES.contains(algorithm.getAlgorithm())) {
                return fallback.get(algorithm);
            }
            ContentVerifier first = fast.get(algorithm);
            List<Object> accepted = List.of(key, algorithm);
            if (!fallbackAccepts.contains(accepted)) {
                // as before, a key Bouncy Castle refuses (its RSA key checks) fails here: made once per key
                ContentVerifier second = fallback.get(algorithm);
                remember(accepted);
                return new SecondOpinion(first, () -> second);
            }
            return new SecondOpinion(first, () -> fallback.get(algorithm));
        };
        return new SignerInformationVerifier(signatureNames, signatureIdentifiers, either, digestCalculators);
    }

    private void remember(List<Object> accepted) {
        if (fallbackAccepts.size() >= MAX_ACCEPTED_KEYS) {
            fallbackAccepts.clear();
        }
        fallbackAccepts.add(accepted);
    }

    /** Makes a content verifier when it is needed. */
    @FunctionalInterface
    private interface LazyVerifier {
        ContentVerifier get() throws OperatorCreationException;
    }

    /**
     * Verifies with the chosen provider and, only where it says no, once more with Bouncy Castle's: AWS-LC is
     * stricter about PKCS#1 v1.5 encodings than the JDK and Bouncy Castle (e.g. a DigestInfo without its NULL
     * parameters, as in an RFC 9216 sample), and the choice of provider must not change a verdict. Bouncy Castle's
     * verifier is made only then (making it costs more than the verification: a provider look-up per signature, and
     * its RSA key check tests the modulus for primality), and is given the same bytes the first one was: they are
     * kept up to {@link #REPLAY_LIMIT} (the signed attributes, a few hundred bytes); past that the second verifier is
     * made at once and given the bytes as they come. A {@link RawContentVerifier} as Bouncy Castle's are (a signer
     * info without signed attributes is verified against the content digest).
     */
    private static final class SecondOpinion implements ContentVerifier, RawContentVerifier {
        static final int REPLAY_LIMIT = 64 * 1024;

        private final ContentVerifier first;
        private final LazyVerifier lazySecond;
        private ContentVerifier second;
        private java.io.ByteArrayOutputStream written;
        private OutputStream secondOut;

        SecondOpinion(ContentVerifier first, LazyVerifier second) {
            this.first = first;
            this.lazySecond = second;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return first.getAlgorithmIdentifier();
        }

        @Override
        public OutputStream getOutputStream() {
            OutputStream firstOut = first.getOutputStream();
            return new OutputStream() {
                @Override
                public void write(int b) throws java.io.IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    firstOut.write(b, off, len);
                    toSecond(b, off, len);
                }

                @Override
                public void flush() throws java.io.IOException {
                    firstOut.flush();
                    if (secondOut != null) {
                        secondOut.flush();
                    }
                }

                @Override
                public void close() throws java.io.IOException {
                    firstOut.close();
                    if (secondOut != null) {
                        secondOut.close();
                    }
                }
            };
        }

        private void toSecond(byte[] b, int off, int len) throws java.io.IOException {
            if (secondOut != null) {
                secondOut.write(b, off, len);
                return;
            }
            if (written == null) {
                written = new java.io.ByteArrayOutputStream();
            }
            written.write(b, off, len);
            if (written.size() > REPLAY_LIMIT) {
                secondOut();
            }
        }

        /** The second verifier, made now if it was not, and given what the first was given so far. */
        private ContentVerifier second() {
            if (second == null) {
                try {
                    second = lazySecond.get();
                } catch (OperatorCreationException e) {
                    throw new org.bouncycastle.operator.RuntimeOperatorException(
                            "cannot create the second verifier: " + e.getMessage(), e);
                }
            }
            return second;
        }

        private OutputStream secondOut() throws java.io.IOException {
            if (secondOut == null) {
                secondOut = second().getOutputStream();
                if (written != null) {
                    written.writeTo(secondOut);
                    written = null;
                }
            }
            return secondOut;
        }

        @Override
        public boolean verify(byte[] signature) {
            if (first.verify(signature)) {
                return true;
            }
            try {
                secondOut().close();
            } catch (java.io.IOException e) {
                throw new org.bouncycastle.operator.RuntimeOperatorException(
                        "cannot feed the second verifier: " + e.getMessage(), e);
            }
            return second.verify(signature);
        }

        @Override
        public boolean verify(byte[] digest, byte[] signature) {
            return first instanceof RawContentVerifier f && f.verify(digest, signature)
                    || second() instanceof RawContentVerifier s && s.verify(digest, signature);
        }
    }

    private ContentVerifierProvider verifiers(Provider provider, PublicKey key) throws OperatorCreationException {
        if (PlainSignatureVerifiers.needed(provider, key)) {
            return plainVerifiers.computeIfAbsent(provider, p -> new PlainSignatureVerifiers(p, keys(p))).build(key);
        }
        return new JcaContentVerifierProviderBuilder().setProvider(provider).build(key);
    }

    /** One line per primitive, "RSA sign/decrypt: ACCP (AmazonCorrettoCryptoProvider)", for the start log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Primitive p : Primitive.values()) {
            lines.add(p.displayName() + ": " + chosen.get(p).displayName());
        }
        return lines;
    }

    /** Whether ACCP was loaded, its version, or why not. */
    public String correttoStatus() {
        return correttoStatus;
    }

    private ProviderSource choose(Primitive primitive) {
        List<ProviderSource> order = new ArrayList<>();
        if (choice == CryptoProviders.AUTO) {
            order.addAll(primitive.autoOrder());
        } else {
            order.add(ProviderSource.preferredBy(choice));
        }
        order.add(ProviderSource.JDK);
        order.add(ProviderSource.BC);
        for (ProviderSource source : order) {
            if (usable(source, primitive)) {
                return source;
            }
        }
        return ProviderSource.BC;
    }

    private boolean usable(ProviderSource source, Primitive primitive) {
        boolean services = switch (source) {
            case JDK -> ProviderSource.jdkHasAll(primitive.services());
            case BC -> ProviderSource.hasAll(bouncyCastle, primitive.services());
            case ACCP -> corretto.isPresent() && ProviderSource.hasAll(corretto.get(), primitive.services());
        };
        if (!services) {
            return false;
        }
        return switch (primitive) {
            case AES_CBC -> encryptsCms(source, CMSAlgorithm.AES256_CBC);
            case AES_GCM -> encryptsCms(source, CMSAlgorithm.AES256_GCM);
            default -> true;
        };
    }

    /** Whether Bouncy Castle's CMS content encryptor works with the source's provider (a few bytes, no keys). */
    private boolean encryptsCms(ProviderSource source, ASN1ObjectIdentifier algorithm) {
        try {
            JceCMSContentEncryptorBuilder builder = new JceCMSContentEncryptorBuilder(algorithm);
            switch (source) {
                case BC -> builder.setProvider(bouncyCastle);
                case ACCP -> builder.setProvider(corretto.orElseThrow());
                case JDK -> { }
            }
            var encryptor = builder.build();
            encryptor.getAlgorithmIdentifier();
            try (OutputStream out = encryptor.getOutputStream(OutputStream.nullOutputStream())) {
                out.write(new byte[32]);
            }
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
