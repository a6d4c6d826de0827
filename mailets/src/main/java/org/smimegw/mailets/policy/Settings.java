package org.smimegw.mailets.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.NegotiationMode;

/** Every policy setting, in the order policy explain and the docs list them. */
public final class Settings {

    private Settings() {
    }

    public static final Setting<Boolean> ALLOW_WEAK_ALGORITHMS = bool("AllowWeakAlgorithms", false, true,
            global(), "global only",
            "Lets the legacy algorithms (SHA1, MD5, TripleDES, DES, RC2128bit, RC264bit, RC240bit) be named anywhere in "
                    + "the file. Without it, naming one is an error.");

    public static final Setting<Boolean> REQUIRE_SIGNED = bool("RequireSignedSMIMEMessages", false, false,
            anyTrue(), "required if either side requires it",
            "Mail must be signed. Outbound: the gateway signs with the sender's key, or refuses the recipient ("
                    + PolicyStatus.REFUSED.enhancedStatus() + ") when the sender has no usable key. Inbound: mail "
                    + "without a valid signature from a trusted CA is handled by InboundViolationAction.");

    public static final Setting<Boolean> REQUIRE_ENCRYPTED = bool("RequireEncryptedSMIMEMessages", false, false,
            anyTrue(), "required if either side requires it",
            "Mail must be encrypted. Outbound: the gateway encrypts to the recipient's certificate, refuses ("
                    + PolicyStatus.REFUSED.enhancedStatus() + ") when the recipient has none, defers ("
                    + PolicyStatus.DEFERRED.enhancedStatus() + ") when the directory cannot be asked; never sends "
                    + "in clear. Inbound: unencrypted mail is handled by InboundViolationAction.");

    public static final Setting<DigestAlgorithm> REQUIRE_SIGNED_ALGORITHM = new Setting<>("RequireSignedSMIMEAlgorithm",
            DigestAlgorithm.class, DigestAlgorithm.SHA256, false,
            node -> readName(node, "RequireSignedSMIMEAlgorithm", DigestAlgorithm.values(), DigestAlgorithm::policyName),
            DigestAlgorithm::policyName, stronger(DigestAlgorithm::stronger), "the stronger of the two",
            "The digest the gateway signs with. Must be one of OWASigningAlgorithms.");

    public static final Setting<EncryptionAlgorithm> REQUIRE_ENCRYPTION_ALGORITHM = new Setting<>(
            "RequireEncryptionSMIMEAlgorithm", EncryptionAlgorithm.class, EncryptionAlgorithm.AES256, false,
            node -> readName(node, "RequireEncryptionSMIMEAlgorithm", EncryptionAlgorithm.values(),
                    EncryptionAlgorithm::policyName),
            EncryptionAlgorithm::policyName, stronger(EncryptionAlgorithm::stronger), "the stronger of the two",
            "The content-encryption algorithm the gateway uses when the recipient announced it or announced nothing; "
                    + "negotiation may pick another (see AllowSMIMEEncryptionAlgorithmNegotiation). Must be one of "
                    + "OWAEncryptionAlgorithms.");

    public static final Setting<NegotiationMode> NEGOTIATION = new Setting<>("AllowSMIMEEncryptionAlgorithmNegotiation",
            NegotiationMode.class, NegotiationMode.AllowAnyAlgorithmNegotiation, false,
            node -> readName(node, "AllowSMIMEEncryptionAlgorithmNegotiation", NegotiationMode.values(), Enum::name),
            Enum::name, stronger(NegotiationMode::stricter), "the stricter of the two",
            "When the recipient's SMIMECapabilities do not include RequireEncryptionSMIMEAlgorithm: "
                    + "AllowAnyAlgorithmNegotiation picks the first of OWAEncryptionAlgorithms the recipient announced; "
                    + "OnlyStrongAlgorithmNegotiation the same among strong ones (AES-128 and up; SHA-256 and up for "
                    + "RequireSignedSMIMEAlgorithm); BlockNegotiation refuses.");

    public static final Setting<Boolean> ALLOW_SOFT_CERTS = bool("AllowSMIMESoftCerts", true, false,
            keyOwner(), "the key owner's side (outbound: sender, inbound: recipient)",
            "false: the party's signing and decryption keys must be in a hardware token (PKCS#11); a key in a software "
                    + "keystore is not used, and required signing with it is refused ("
                    + PolicyStatus.REFUSED.enhancedStatus() + ").");

    public static final Setting<Boolean> ALWAYS_SIGN = bool("OWAAlwaysSign", false, false,
            anyTrue(), "either side",
            "Sign whenever the sender has a usable key, even where not required (no refusal when it has none).");

    public static final Setting<Boolean> ALWAYS_ENCRYPT = bool("OWAAlwaysEncrypt", false, false,
            anyTrue(), "either side",
            "Encrypt whenever the recipient has a usable certificate, even where not required (sent in clear when it "
                    + "has none; deferred when the directory cannot be asked).");

    public static final Setting<List<DigestAlgorithm>> SIGNING_ALGORITHMS = new Setting<>("OWASigningAlgorithms",
            List.class, List.of(DigestAlgorithm.SHA512, DigestAlgorithm.SHA384, DigestAlgorithm.SHA256), false,
            node -> readList(node, "OWASigningAlgorithms", DigestAlgorithm.values(), DigestAlgorithm::policyName,
                    DigestAlgorithm::exchangeAlgId),
            Settings::formatList, intersection(), "both sides' lists intersected, in the acting side's order",
            "The digests the gateway may sign with and accepts on inbound signatures, in order of preference. "
                    + "A YAML list of names, or Exchange's ALG_ID string (\"800E;800D;800C\").");

    public static final Setting<List<EncryptionAlgorithm>> ENCRYPTION_ALGORITHMS = new Setting<>(
            "OWAEncryptionAlgorithms", List.class,
            List.of(EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES256GCM, EncryptionAlgorithm.AES192,
                    EncryptionAlgorithm.AES128, EncryptionAlgorithm.AES128GCM), false,
            node -> readList(node, "OWAEncryptionAlgorithms", EncryptionAlgorithm.values(),
                    EncryptionAlgorithm::policyName, a -> a.exchangeAlgId().orElse(null)),
            Settings::formatList, intersection(), "both sides' lists intersected, in the acting side's order",
            "The content-encryption algorithms the gateway may encrypt with (negotiation picks from these in this "
                    + "order) and accepts on inbound mail. A YAML list of names, or Exchange's ALG_ID string "
                    + "(\"6610;660E\").");

    public static final Setting<Boolean> CLEAR_SIGN = bool("OWAClearSign", true, false,
            moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "true: multipart/signed (readable without S/MIME); false: opaque application/pkcs7-mime signed-data.");

    public static final Setting<Boolean> INCLUDE_CHAIN_WITHOUT_ROOT = bool(
            "OWAIncludeCertificateChainWithoutRootCertificate", true, false,
            moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "Signed mail carries the signer's chain without the root. (Exchange's default is false; a gateway "
                    + "signing for others' readers includes the intermediates by default.)");

    public static final Setting<Boolean> INCLUDE_CHAIN_AND_ROOT = bool("OWAIncludeCertificateChainAndRootCertificate",
            false, false, moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "Signed mail carries the signer's chain including the root (wins over the previous setting).");

    public static final Setting<Boolean> INCLUDE_CAPABILITIES = bool("OWAIncludeSMIMECapabilitiesInMessage", true,
            false, moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "Signed mail carries the SMIMECapabilities attribute (the allowed encryption algorithms), so replies can "
                    + "be encrypted with them. (Exchange's default is false; RFC 8551 recommends it.)");

    public static final Setting<Boolean> TRIPLE_WRAP = bool("OWATripleWrapSignedEncryptedMail", false, false,
            moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "Signed and encrypted mail is signed again outside (sign, encrypt, sign).");

    public static final Setting<Boolean> USE_KEY_IDENTIFIER = bool("OWAUseKeyIdentifier", false, false,
            moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "Encrypted mail names recipients' certificates by subject key identifier rather than issuer and serial.");

    public static final Setting<Boolean> CHECK_CRL_ON_SEND = bool("OWACheckCRLOnSend", false, false,
            anyTrue(), "either side",
            "When a recipient certificate's revocation status cannot be determined (CRL unreachable), defer ("
                    + PolicyStatus.DEFERRED.enhancedStatus() + ") instead of encrypting to it.");

    public static final Setting<Boolean> DISABLE_CRL_CHECK = bool("OWADisableCRLCheck", false, false,
            allTrue(), "only if both sides disable it",
            "Certificates are validated without revocation checks. Contradicts OWACheckCRLOnSend: true.");

    public static final Setting<BccForking> BCC_FORKING = new Setting<>("OWABCCEncryptedEmailForking", BccForking.class,
            BccForking.ONE_MESSAGE_PER_BCC_RECIPIENT, false, Settings::readBccForking,
            f -> f.exchangeValue() + " (" + f.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")",
            moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "Encrypted mail with Bcc recipients: 0 one message per Bcc recipient, 1 one message for all Bcc "
                    + "recipients, 2 one message for everybody.");

    public static final Setting<InboundViolationAction> INBOUND_VIOLATION_ACTION = new Setting<>(
            "InboundViolationAction", InboundViolationAction.class, InboundViolationAction.Quarantine, false,
            node -> readName(node, "InboundViolationAction", InboundViolationAction.values(), Enum::name),
            Enum::name, recipientSide(), "the recipient's side",
            "Inbound mail to a recipient whose policy requires signed or encrypted mail, that is not (or badly "
                    + "signed, or with a refused algorithm): Reject (" + PolicyStatus.REFUSED.enhancedStatus()
                    + ") or Quarantine.");

    public static final Setting<HeaderProtectionPolicy> HEADER_PROTECTION = new Setting<>("SMIMEHeaderProtection",
            HeaderProtectionPolicy.class, HeaderProtectionPolicy.Encrypted, false,
            node -> readName(node, "SMIMEHeaderProtection", HeaderProtectionPolicy.values(), Enum::name),
            Enum::name, moreSpecific(), "the side that set it more specifically (recipient on a tie)",
            "RFC 9788 header protection (the gateway's own setting): Encrypted puts the protected header fields "
                    + "into encrypted mail's inner part (hp=\"cipher\") and replaces the outer Subject with [...]; "
                    + "Always also signed-only mail (hp=\"clear\"); Off never.");

    /** Every setting, in presentation order. */
    public static final List<Setting<?>> ALL = List.of(ALLOW_WEAK_ALGORITHMS, REQUIRE_SIGNED, REQUIRE_ENCRYPTED,
            REQUIRE_SIGNED_ALGORITHM, REQUIRE_ENCRYPTION_ALGORITHM, NEGOTIATION, ALLOW_SOFT_CERTS, ALWAYS_SIGN,
            ALWAYS_ENCRYPT, SIGNING_ALGORITHMS, ENCRYPTION_ALGORITHMS, CLEAR_SIGN, INCLUDE_CHAIN_WITHOUT_ROOT,
            INCLUDE_CHAIN_AND_ROOT, INCLUDE_CAPABILITIES, TRIPLE_WRAP, USE_KEY_IDENTIFIER, CHECK_CRL_ON_SEND,
            DISABLE_CRL_CHECK, BCC_FORKING, HEADER_PROTECTION, INBOUND_VIOLATION_ACTION);

    private static final Map<String, Setting<?>> BY_NAME = ALL.stream()
            .collect(Collectors.toMap(Setting::name, s -> s, (a, b) -> a, LinkedHashMap::new));

    public static Optional<Setting<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    static Optional<Setting<?>> byNameIgnoringCase(String name) {
        return ALL.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    // ---- readers ----

    private static Setting<Boolean> bool(String name, boolean def, boolean globalOnly,
                                        Setting.PairCombiner<Boolean> combiner, String rule, String meaning) {
        return new Setting<>(name, Boolean.class, def, globalOnly, node -> readBoolean(node, name),
                String::valueOf, combiner, rule, meaning);
    }

    private static String scalar(Node node, String setting) throws BadValueException {
        if (!(node instanceof ScalarNode s)) {
            throw new BadValueException(setting + " takes a single value, not a " + kind(node));
        }
        return s.getValue().trim();
    }

    static String kind(Node node) {
        return switch (node.getNodeId()) {
            case mapping -> "mapping";
            case sequence -> "list";
            case scalar -> "value";
            default -> "alias";
        };
    }

    private static Boolean readBoolean(Node node, String setting) throws BadValueException {
        String v = scalar(node, setting);
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BadValueException("unknown value '" + v + "' for " + setting + ": expected true or false");
    }

    private static <E> E readName(Node node, String setting, E[] values, Function<E, String> name)
            throws BadValueException {
        return byName(scalar(node, setting), setting, values, name, null);
    }

    private static <E> E byName(String v, String setting, E[] values, Function<E, String> name,
                                Function<E, String> algId) throws BadValueException {
        for (E e : values) {
            if (name.apply(e).equals(v)) {
                return e;
            }
        }
        if (algId != null) {
            for (E e : values) {
                String id = algId.apply(e);
                if (id != null && id.equalsIgnoreCase(v)) {
                    return e;
                }
            }
        }
        String canonical = v.replace("-", "").replace("_", "");
        for (E e : values) {
            if (name.apply(e).equalsIgnoreCase(canonical)) {
                throw new BadValueException("unknown value '" + v + "' for " + setting + "; did you mean "
                        + name.apply(e) + "?");
            }
        }
        throw new BadValueException("unknown value '" + v + "' for " + setting + ": expected one of "
                + Arrays.stream(values).map(name).collect(Collectors.joining(", ")));
    }

    private static <E> List<E> readList(Node node, String setting, E[] values, Function<E, String> name,
                                        Function<E, String> algId) throws BadValueException {
        List<E> list = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode s)) {
                    throw new BadValueException(setting + " lists algorithm names, not a " + kind(item), item);
                }
                try {
                    add(list, byName(s.getValue().trim(), setting, values, name, algId), setting, name);
                } catch (BadValueException e) {
                    throw new BadValueException(e.getMessage(), item);
                }
            }
        } else if (node instanceof ScalarNode s) {
            // Exchange's form: "6610;660E" (Set-SmimeConfig), or names separated by ';' or ','
            for (String token : s.getValue().split("[;,]")) {
                String t = token.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.matches("(?i)6602(:\\d+)?") && byIdOrNull(t, values, algId) == null) {
                    throw new BadValueException("unsupported RC2 key length '" + t + "' for " + setting
                            + ": 6602:40, 6602:64 and 6602:128 are understood");
                }
                add(list, byName(t, setting, values, name, algId), setting, name);
            }
        } else {
            throw new BadValueException(setting + " takes a list of algorithm names, not a " + kind(node));
        }
        if (list.isEmpty()) {
            throw new BadValueException(setting + " must name at least one algorithm");
        }
        return Collections.unmodifiableList(list);
    }

    private static <E> E byIdOrNull(String t, E[] values, Function<E, String> algId) {
        for (E e : values) {
            String id = algId.apply(e);
            if (id != null && id.equalsIgnoreCase(t)) {
                return e;
            }
        }
        return null;
    }

    private static <E> void add(List<E> list, E e, String setting, Function<E, String> name) throws BadValueException {
        if (list.contains(e)) {
            throw new BadValueException(setting + " names " + name.apply(e) + " twice");
        }
        list.add(e);
    }

    private static BccForking readBccForking(Node node) throws BadValueException {
        String v = scalar(node, "OWABCCEncryptedEmailForking");
        try {
            return BccForking.byExchangeValue(Integer.parseInt(v)).orElseThrow(() -> new NumberFormatException(v));
        } catch (NumberFormatException e) {
            throw new BadValueException("unknown value '" + v + "' for OWABCCEncryptedEmailForking: expected 0, 1 or 2");
        }
    }

    private static String formatList(List<?> list) {
        return list.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    // ---- pair combiners ----

    /** One value from both sides: one origin when both came from the same place, else both. */
    static <T> EffectiveSetting<T> both(Setting<T> setting, T value, EffectiveSetting<T> s, EffectiveSetting<T> r) {
        if (s.origins().size() == 1 && r.origins().size() == 1
                && s.origin().where().equals(r.origin().where()) && s.origin().line() == r.origin().line()) {
            return new EffectiveSetting<>(setting, value, s.origin().onSide(null));
        }
        List<SettingOrigin> origins = new ArrayList<>(s.origins());
        origins.addAll(r.origins());
        return new EffectiveSetting<>(setting, value, origins);
    }

    private static Setting.PairCombiner<Boolean> anyTrue() {
        return (s, r, d) -> {
            if (s.value() && r.value()) {
                return both(s.setting(), true, s, r);
            }
            if (s.value() || r.value()) {
                return s.value() ? s : r;
            }
            return both(s.setting(), false, s, r);
        };
    }

    private static Setting.PairCombiner<Boolean> allTrue() {
        return (s, r, d) -> {
            if (s.value() && r.value()) {
                return both(s.setting(), true, s, r);
            }
            if (!s.value() && !r.value()) {
                return both(s.setting(), false, s, r);
            }
            return s.value() ? r : s;
        };
    }

    private static <T> Setting.PairCombiner<T> stronger(java.util.function.BinaryOperator<T> pick) {
        return (s, r, d) -> {
            if (s.value().equals(r.value())) {
                return both(s.setting(), s.value(), s, r);
            }
            return pick.apply(s.value(), r.value()).equals(s.value()) ? s : r;
        };
    }

    private static <T> Setting.PairCombiner<T> keyOwner() {
        return (s, r, d) -> d == MailDirection.OUTBOUND ? s : r;
    }

    private static <T> Setting.PairCombiner<T> recipientSide() {
        return (s, r, d) -> r;
    }

    private static Setting.PairCombiner<Boolean> global() {
        return (s, r, d) -> both(s.setting(), s.value(), s, r);
    }

    private static <T> Setting.PairCombiner<T> moreSpecific() {
        return (s, r, d) -> {
            if (s.value().equals(r.value())) {
                return both(s.setting(), s.value(), s, r);
            }
            return s.origin().level().ordinal() > r.origin().level().ordinal() ? s : r;
        };
    }

    private static <E> Setting.PairCombiner<List<E>> intersection() {
        return (s, r, d) -> {
            EffectiveSetting<List<E>> acting = d == MailDirection.OUTBOUND ? s : r;
            EffectiveSetting<List<E>> other = d == MailDirection.OUTBOUND ? r : s;
            List<E> common = acting.value().stream().filter(other.value()::contains).toList();
            if (common.equals(acting.value()) && common.equals(other.value())) {
                return both(s.setting(), common, s, r);
            }
            if (common.equals(acting.value())) {
                return acting;
            }
            if (common.equals(other.value())) {
                return other;
            }
            return both(s.setting(), common, acting, other);
        };
    }
}
